CREATE TABLE "name_vocabulary" (
	"kind" text NOT NULL,
	"word" text NOT NULL,
	"subscribers" integer NOT NULL,
	CONSTRAINT "name_vocabulary_kind_word_pk" PRIMARY KEY("kind","word")
);
