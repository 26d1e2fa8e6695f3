-- Schema version 5: the raw words of an issue target ("the rise in the congestion charge") beside
-- its concept label (stances.target), so that a user's concept list can still split a label.
-- NULL for actor targets and for stores written before this version.

ALTER TABLE stances ADD COLUMN IF NOT EXISTS target_phrase TEXT;
