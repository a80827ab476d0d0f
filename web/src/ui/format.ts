import { ispTimeZone } from '../app/timezone.ts';
import { currentLanguage, localeOf } from '../i18n/index.ts';

// Money is shown the Russian way in both UI languages ("1 234,56 ₽"): it is what the subscriber
// on the phone sees on their bill.
const rubles = new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB' });
const wholeRubles = new Intl.NumberFormat('ru-RU', {
  style: 'currency',
  currency: 'RUB',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** Amounts travel as integer kopecks; 123456 → "1 234,56 ₽". */
export const formatRubles = (kopecks: number) => rubles.format(kopecks / 100);

/** Prices read better without ",00": 65000 → "650 ₽", but 65050 → "650,50 ₽". */
export const formatPrice = (kopecks: number) =>
  kopecks % 100 === 0 ? wholeRubles.format(kopecks / 100) : rubles.format(kopecks / 100);

const calendarDate = /^(\d{4})-(\d{2})-(\d{2})$/;

type DateStyle = 'short' | 'long';
const dateOptions: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  short: { day: '2-digit', month: '2-digit', year: 'numeric' },
  long: { day: 'numeric', month: 'long', year: 'numeric' },
};

/**
 * A calendar date ("2025-01-01": a birth date, a contract date) is shown as is, never shifted by
 * a zone; an instant ("2025-01-01T10:00:00Z") is shown as the date in the ISP's zone.
 */
export function formatDate(value: string, style: DateStyle = 'short'): string {
  const locale = localeOf[currentLanguage()];
  const parts = calendarDate.exec(value);
  if (parts) {
    const utc = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
    return new Intl.DateTimeFormat(locale, { ...dateOptions[style], timeZone: 'UTC' }).format(utc);
  }
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { ...dateOptions[style], timeZone: ispTimeZone() }).format(instant);
}

/** An instant as date and time in the ISP's zone: "01.01.2025, 13:00". */
export function formatDateTime(value: string): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf[currentLanguage()], {
    ...dateOptions.short,
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ispTimeZone(),
  }).format(instant);
}

/** An instant as day, month and time in the ISP's zone, for dense lists of this month: "25.11, 09:00". */
export function formatDayTime(value: string): string {
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(localeOf[currentLanguage()], {
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ispTimeZone(),
  }).format(instant);
}

/** "+79123456789" → "+7 912 345-67-89"; anything else (foreign, already masked) is shown as it came. */
export function formatPhone(phone: string): string {
  const russian = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return russian ? `+7 ${russian[1]} ${russian[2]}-${russian[3]}-${russian[4]}` : phone;
}
