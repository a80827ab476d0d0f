import type { SubscriberCard } from '@common/api/subscribers.ts';
import { Badge, Code, Group, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type Field, FieldList } from '../../../ui/FieldList.tsx';
import { Panel } from '../../../ui/Panel.tsx';

type Connection = NonNullable<SubscriberCard['connection']>;

const nodeKinds = ['core', 'aggregation', 'access_switch', 'olt'] as const;
type NodeKind = (typeof nodeKinds)[number];
const isKnownNodeKind = (kind: string): kind is NodeKind => nodeKinds.includes(kind as NodeKind);

const mono = (value: string | number) => (
  <Text span ff="monospace" size="sm">
    {value}
  </Text>
);

/** Where the subscriber meets the network: what line 2 reads out to the NOC, so identifiers are monospace. */
export function ConnectionPanel({ connection }: { connection: SubscriberCard['connection'] }) {
  const { t } = useTranslation();
  return (
    <Panel
      title={t('subscribers.card.panels.connection')}
      aside={
        connection && (
          <Badge variant="light" color="grape">
            {t(`subscribers.card.connection.methods.${connection.method}`)}
          </Badge>
        )
      }
    >
      {connection ? (
        <FieldList fields={connectionFields(connection, t)} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('subscribers.card.connection.none')}
        </Text>
      )}
    </Panel>
  );
}

function connectionFields(connection: Connection, t: TFunction): (Field | false)[] {
  const option82 = [connection.option82CircuitId, connection.option82RemoteId].some(Boolean);
  return [
    connection.method === 'pppoe' && {
      label: t('subscribers.card.connection.pppoeLogin'),
      value: connection.pppoeLogin ? mono(connection.pppoeLogin) : '—',
    },
    {
      label: t('subscribers.card.connection.node'),
      value: (
        <>
          {mono(connection.nodeName)}{' '}
          <Text span size="xs" c="dimmed">
            {isKnownNodeKind(connection.nodeKind)
              ? t(`subscribers.card.connection.nodeKinds.${connection.nodeKind}`)
              : connection.nodeKind}
          </Text>
        </>
      ),
    },
    { label: t('subscribers.card.connection.managementIp'), value: mono(connection.nodeManagementIp) },
    { label: t('subscribers.card.connection.port'), value: connection.portName ? mono(connection.portName) : '—' },
    connection.vlan !== null && { label: t('subscribers.card.connection.vlan'), value: mono(connection.vlan) },
    option82 && {
      label: t('subscribers.card.connection.option82'),
      value: (
        <Text span size="sm">
          {t('subscribers.card.connection.circuitId')}: {mono(connection.option82CircuitId ?? '—')}
          <br />
          {t('subscribers.card.connection.remoteId')}: {mono(connection.option82RemoteId ?? '—')}
        </Text>
      ),
    },
    connection.mac !== null && { label: t('subscribers.card.connection.mac'), value: mono(connection.mac) },
    connection.staticIp !== null && {
      label: t('subscribers.card.connection.staticIp'),
      value: mono(connection.staticIp),
    },
    connection.uplinkPath.length > 0 && {
      label: t('subscribers.card.connection.uplink'),
      value: (
        <Group gap={4} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {connection.uplinkPath.map((node, index) => (
            <li key={node}>
              {index > 0 && (
                <Text span c="dimmed" aria-hidden>
                  {'→ '}
                </Text>
              )}
              <Code>{node}</Code>
            </li>
          ))}
        </Group>
      ),
    },
  ];
}
