package news

import "time"

// Who is editing a story: the editor page sends a heartbeat every
// PresenceHeartbeat while it is open, and an entry not renewed within
// PresenceTTL is gone. The first editor able to change the story holds
// its soft lock; a second sees who and since when, and is warned before
// typing. The lock is advice: the save's conflict check (a save based on
// an old revision is kept apart) stays the safety net.
const (
	// PresenceHeartbeat is how often an open editor says it is there and
	// reads back who else is: a second editor opening a story is seen by
	// the first within one heartbeat (the opening itself is recorded as
	// the page is served).
	PresenceHeartbeat = 1500 * time.Millisecond
	// PresenceTTL is how long an entry lasts without a heartbeat: four
	// missed beats, so one slow request does not drop anyone.
	PresenceTTL = 4 * PresenceHeartbeat
)

// Presence is one account with a story open in the editor.
type Presence struct {
	UserID   int64
	Name     string
	OpenedAt time.Time // when this stay on the story began
	SeenAt   time.Time // the last heartbeat, by the database's clock
}

// EditLock is the soft lock of a story: who holds it and since when.
type EditLock struct {
	ArticleID int64
	UserID    int64
	Name      string
	Since     time.Time
	TakenFrom int64 // the account the last take-over took it from; 0: none
	TakenAt   time.Time
}

// Editing is what one editor page learns on a heartbeat.
type Editing struct {
	Others []Presence // other accounts with the story open, earliest first
	Lock   *EditLock  // nil: nobody holds it
	// Mine reports whether the asking account holds the lock.
	Mine bool
	// TakenBy names who took the lock from the asking account, when the
	// lock's last take-over took it from them and they have not got it
	// back.
	TakenBy string
}
