-- A surname said with a first name ("Смирнов Сергей") reads only that surname's Сергеи: at
-- 1,000,000 subscribers the surname alone is 1,000-3,000 rows read from the heap and filtered.
-- The expression is the one find-by-words.ts's namesFilter() writes.
CREATE INDEX subscribers_surname_first_name_idx ON subscribers (surname_norm, (translate(lower(first_name), 'ё', 'е')));
