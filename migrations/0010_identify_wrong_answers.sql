-- Identification with answers is an oracle if it can be asked forever: an operator could learn a
-- subscriber's birth year or flat by trying answers. Each staff member may have a limited number of
-- answers checked per minute (IDENTIFY_WRONG_ANSWERS_PER_MINUTE); a try is counted here before it is
-- checked, in one statement, so app instances sharing the database cannot together check more, and
-- a try whose answers fit someone is given back (docs/identification.md, "Answers are audited").
CREATE TABLE identify_wrong_answers (
	staff_id integer NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
	minute timestamp with time zone NOT NULL,
	tries integer NOT NULL,
	PRIMARY KEY (staff_id, minute)
);
