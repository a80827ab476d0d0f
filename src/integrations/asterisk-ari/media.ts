import type { Announcement } from '../../modules/contacts/pbx.js';

/**
 * What a waiting caller hears, as ARI media URIs (channels.json play): Asterisk's core sounds
 * (the names app_queue announces with, so every language pack Asterisk ships says them) and its
 * own `number:` and `digits:` speech, so no speech engine is needed. The three sounds named
 * `linedesk-…` have no counterpart among the core sounds; the ISP records them
 * (docs/integrations/asterisk.md).
 */
export function announcementMedia(announcement: Announcement, timezone: string): string[] {
  switch (announcement.kind) {
    case 'position': {
      // As app_queue says it: "your call is now first in line", or "there are currently N calls waiting".
      const place =
        announcement.position <= 1
          ? ['sound:queue-youarenext']
          : ['sound:queue-thereare', `number:${announcement.position}`, 'sound:queue-callswaiting'];
      const wait =
        announcement.minutes === null
          ? []
          : [
              'sound:queue-holdtime',
              `number:${announcement.minutes}`,
              announcement.minutes === 1 ? 'sound:queue-minute' : 'sound:queue-minutes',
            ];
      return [...place, ...wait, 'sound:queue-thankyou'];
    }
    case 'callback-offer':
      return ['sound:linedesk-callback-offer', `digits:${announcement.digit}`];
    case 'callback-confirmed':
      return ['sound:linedesk-callback-confirmed'];
    case 'outside-hours': {
      if (announcement.opensAt === null) return ['sound:linedesk-closed'];
      const [hour = '0', minute = '0'] = new Intl.DateTimeFormat('en-GB', {
        timeZone: timezone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .format(new Date(announcement.opensAt))
        .split(':');
      const time = [`number:${Number(hour)}`, ...(Number(minute) > 0 ? [`number:${Number(minute)}`] : [])];
      return ['sound:linedesk-closed', 'sound:linedesk-opens-at', ...time];
    }
  }
}
