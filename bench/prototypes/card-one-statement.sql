-- The subscriber card's reads and its audit row as ONE statement: a prototype behind the figures
-- in docs/benchmarks.md ("Card"), not used by the app. Budget it serves: card p95 <= 30 ms at 1 M
-- on PostgreSQL (DESIGN.md). $1 subscriber id, $2 staff id, $3 client address, $4 today (YYYY-MM-DD).
-- The data-modifying CTE writes the audit row in the same statement, so it commits with the read.
-- Measured as a named prepared statement (node-postgres: { name, text, values }) by 8 clients.
with acc as (
  select a.* from accounts a where a.subscriber_id = $1 order by a.id limit 1
), audit as (
  insert into audit_log (at, staff_id, action, target_type, target_id, ip, details)
  select now(), $2, 'subscriber.card_opened', 'subscriber', $1::text, $3, jsonb_build_object('accountId', acc.id) from acc
)
select json_build_object(
  'holder', (select row_to_json(s) from subscribers s where s.id = $1),
  'phones', (select json_agg(p order by p.is_primary desc, p.id) from subscriber_phones p where p.subscriber_id = $1),
  'main', (select json_build_object('account', row_to_json(a), 'contract', row_to_json(c), 'building', row_to_json(b), 'street', row_to_json(st), 'tariff', row_to_json(t),
            'price', (select tp.monthly_fee_kopecks from tariff_prices tp where tp.tariff_id = t.id and tp.effective_from <= $4::date order by tp.effective_from desc limit 1))
           from acc a join contracts c on c.account_id = a.id join buildings b on b.id = c.building_id join streets st on st.id = b.street_id join tariffs t on t.id = a.tariff_id),
  'others', (select json_agg(json_build_object('id', a2.id, 'number', a2.number, 'contract', c2.number, 'apartment', c2.apartment, 'house', b2.house, 'street', st2.name))
             from accounts a2 join contracts c2 on c2.account_id = a2.id join buildings b2 on b2.id = c2.building_id join streets st2 on st2.id = b2.street_id
             where a2.subscriber_id = $1 and a2.id <> (select id from acc)),
  'ledger', (select json_agg(l) from (select * from ledger_entries l where l.account_id = (select id from acc) order by occurred_at desc, id desc limit 10) l),
  'equipment', (select json_agg(e order by e.id) from equipment e where e.account_id = (select id from acc)),
  'history', (select json_agg(json_build_object('tariffName', t.name, 'validFrom', h.valid_from, 'validTo', h.valid_to) order by h.valid_from desc)
              from account_tariffs h join tariffs t on t.id = h.tariff_id where h.account_id = (select id from acc)),
  'connection', (select json_build_object('method', sc.method, 'pppoeLogin', sc.pppoe_login, 'node', n.name, 'port', np.name, 'vlan', sc.vlan, 'uplink', json_build_array(n1.name, n2.name, n3.name))
                 from service_connections sc join network_nodes n on n.id = sc.node_id left join network_ports np on np.id = sc.port_id
                 left join network_nodes n1 on n1.id = n.uplink_node_id left join network_nodes n2 on n2.id = n1.uplink_node_id left join network_nodes n3 on n3.id = n2.uplink_node_id
                 where sc.account_id = (select id from acc)),
  'announced', (select json_agg(tp order by tp.effective_from) from tariff_prices tp where tp.tariff_id = (select tariff_id from acc) and tp.effective_from > $4::date)
) as card
