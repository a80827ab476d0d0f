import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../ui/format.ts';
import { Panel } from '../../../ui/Panel.tsx';

const equipmentKinds = ['router', 'ont', 'stb'] as const;
type EquipmentKind = (typeof equipmentKinds)[number];
const isKnownKind = (kind: string): kind is EquipmentKind => equipmentKinds.includes(kind as EquipmentKind);

export function EquipmentPanel({ equipment }: { equipment: SubscriberCard['equipment'] }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('subscribers.card.panels.equipment')}>
      {equipment.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('subscribers.card.equipment.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table aria-label={t('subscribers.card.equipment.table')} fz="xs" verticalSpacing={3}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('subscribers.card.equipment.model')}</Table.Th>
                <Table.Th>{t('subscribers.card.equipment.mac')}</Table.Th>
                <Table.Th>{t('subscribers.card.equipment.serial')}</Table.Th>
                <Table.Th>{t('subscribers.card.equipment.ownership')}</Table.Th>
                <Table.Th>{t('subscribers.card.equipment.installedOn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {equipment.map((device) => (
                <Table.Tr key={device.id}>
                  <Table.Td>
                    <Text size="xs" fw={600}>
                      {isKnownKind(device.kind) ? t(`subscribers.card.equipment.kinds.${device.kind}`) : device.kind}
                    </Text>
                    <Text size="xs">{device.model}</Text>
                  </Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {device.mac}
                  </Table.Td>
                  <Table.Td ff="monospace">{device.serial}</Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={device.ownership === 'rented' ? 'blue' : 'gray'}>
                      {t(`subscribers.card.equipment.ownerships.${device.ownership}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(device.installedOn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Panel>
  );
}
