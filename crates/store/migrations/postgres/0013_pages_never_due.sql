-- A page of one's own is written, never polled (its source is never due).
-- Earlier releases pulled its due time in at `serve` start-up (a shorter
-- interval), polled `page:<slug>` as a web page and recorded failures on
-- it; this puts its schedule and health back.
UPDATE sources
SET next_poll_at = 253402300799000,
    consecutive_failures = 0,
    last_error = NULL,
    last_outcome = 'ok'
WHERE platform = 'page';
