import type { Address } from '@common/api/subscribers.ts';
import { useTranslation } from 'react-i18next';
import { FieldList } from '../../../ui/FieldList.tsx';
import { Panel } from '../../../ui/Panel.tsx';

export function AddressPanel({ address }: { address: Address }) {
  const { t } = useTranslation();
  return (
    <Panel title={t('subscribers.card.panels.address')}>
      <FieldList
        fields={[
          { label: t('subscribers.card.address.city'), value: address.city },
          { label: t('subscribers.card.address.full'), value: address.text },
        ]}
      />
    </Panel>
  );
}
