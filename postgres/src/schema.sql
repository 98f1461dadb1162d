-- Decider Lab's tables (made if missing when a store connects). A session is one engine:
-- its journal (what rebuilds it exactly, queue and ids included) and, beside it, every
-- fact as a row to query with SQL. One engine step is one transaction: its journal entry
-- and its facts together, or neither.

CREATE TABLE IF NOT EXISTS decider_sessions (
    name    text PRIMARY KEY,
    -- The domain's id (`decider domains`).
    domain  text NOT NULL,
    -- The engine's configuration (seed, max_depth, snapshot_every) as JSON.
    config  json NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS decider_journal (
    session text   NOT NULL REFERENCES decider_sessions (name) ON DELETE CASCADE,
    -- The entry's index in the engine's journal, from 0, without gaps: two writers that
    -- append the same index conflict here, and the later one's transaction fails.
    entry   bigint NOT NULL CHECK (entry >= 0),
    -- The entry in its JSON form, as the engine wrote it (`json` keeps the text).
    body    json   NOT NULL,
    PRIMARY KEY (session, entry)
);

CREATE TABLE IF NOT EXISTS decider_facts (
    session        text    NOT NULL,
    -- Global position, from 0, without gaps.
    position       bigint  NOT NULL CHECK (position >= 0),
    -- The journal entry that recorded it.
    entry          bigint  NOT NULL,
    stream_id      text    NOT NULL,
    -- The stream's version after an event; NULL for a rejection.
    stream_version bigint  CHECK (stream_version > 0),
    kind           text    NOT NULL CHECK (kind IN ('event', 'rejection')),
    -- The message's variant path, e.g. `order.order_placed`.
    name           text    NOT NULL,
    -- The event, or the rejection's reason.
    payload        jsonb   NOT NULL,
    -- For a rejection, the refused command.
    command        jsonb,
    fact_id        text    NOT NULL,
    command_id     text    NOT NULL,
    -- The flow (the user command's id) and the message that directly caused the fact.
    correlation_id text    NOT NULL,
    causation_id   text    NOT NULL,
    time           bigint  NOT NULL,
    -- `user`, `given`, or the saga or process manager that issued the command.
    origin         text    NOT NULL,
    depth          integer NOT NULL,
    compensation   boolean NOT NULL,
    injected       boolean NOT NULL,
    external       boolean NOT NULL,
    zero_payload   boolean NOT NULL,
    PRIMARY KEY (session, position),
    -- Optimistic concurrency within a stream: one event a version.
    UNIQUE (session, stream_id, stream_version),
    FOREIGN KEY (session, entry) REFERENCES decider_journal (session, entry) ON DELETE CASCADE
);

-- A flow's facts in order (the saga trace's query).
CREATE INDEX IF NOT EXISTS decider_facts_flow ON decider_facts (session, correlation_id, position);

-- A cache of the journal: entries `first .. first + count` in the engine's packed form
-- (compact bytes read back without JSON, about 10 times as fast), written in the
-- transaction of the entry that completes them. Opening a session folds these first and
-- reads the entries' JSON only after the last; an image that does not read is passed over
-- for the JSON. Delete a session's rows here to have it read from its JSON alone.
CREATE TABLE IF NOT EXISTS decider_packed (
    session text    NOT NULL REFERENCES decider_sessions (name) ON DELETE CASCADE,
    first   bigint  NOT NULL CHECK (first >= 0),
    count   integer NOT NULL CHECK (count > 0),
    image   bytea   NOT NULL,
    PRIMARY KEY (session, first)
);
