export interface AddressParts {
  city: string;
  streetType: string;
  street: string;
  house: string;
  korpus: string | null;
  stroenie: string | null;
  litera: string | null;
  apartment: string | null;
}

// Street types as the post office writes them before the name ("ул. Ленина", "пр-кт Мира").
const streetTypeLabel: Record<string, string> = {
  ул: 'ул.',
  'пр-кт': 'пр-кт',
  пер: 'пер.',
  'б-р': 'б-р',
  ш: 'ш.',
  наб: 'наб.',
  пл: 'пл.',
  мкр: 'мкр.',
  проезд: 'проезд',
  туп: 'туп.',
};

/** One line as an operator reads it aloud: "ул. Ленина, д. 5, корп. 2, кв. 12". */
export function formatAddress(parts: AddressParts, apartment: 'full' | 'masked' | 'none' = 'full'): string {
  const pieces = [`${streetTypeLabel[parts.streetType] ?? parts.streetType} ${parts.street}`, `д. ${parts.house}`];
  if (parts.korpus) pieces.push(`корп. ${parts.korpus}`);
  if (parts.stroenie) pieces.push(`стр. ${parts.stroenie}`);
  if (parts.litera) pieces.push(`лит. ${parts.litera}`);
  if (parts.apartment && apartment === 'full') pieces.push(`кв. ${parts.apartment}`);
  if (parts.apartment && apartment === 'masked') pieces.push('кв. ***');
  return pieces.join(', ');
}
