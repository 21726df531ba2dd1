package auth

import (
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want PHC argon2id with OWASP parameters", h)
	}
	if h2 := HashPassword("correct horse battery staple"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, hash, pw string
		ok, rehash     bool
	}{
		{"right", h, "correct horse battery staple", true, false},
		{"wrong", h, "correct horse battery stapler", false, false},
		{"empty", h, "", false, false},
		{"weak parameters", hashWith("pw-for-old-hash", Params{Memory: 4096, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}), "pw-for-old-hash", true, true},
		{"not a hash", "plaintext", "plaintext", false, false},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuu", "x", false, false},
		{"huge memory", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5", "x", false, false},
		{"argon2i", strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery staple", false, false},
	}
	for _, tt := range tests {
		ok, rehash := CheckPassword(tt.hash, tt.pw)
		if ok != tt.ok || rehash != tt.rehash {
			t.Errorf("%s: got ok=%v rehash=%v, want %v %v", tt.name, ok, rehash, tt.ok, tt.rehash)
		}
	}
}

func TestToken(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) != 43 {
		t.Errorf("tokens %q %q: want two different 43-character tokens", a, b)
	}
	if ha != HashToken(a) || len(ha) != 64 || strings.Contains(ha, a) {
		t.Errorf("hash %q of %q: want the hex SHA-256", ha, a)
	}
}

// TestPolicy spells out the whole table, so a change to it is a change here.
func TestPolicy(t *testing.T) {
	want := map[Action][3]bool{ // contributor, editor, admin
		ViewDesk: {true, true, true}, WriteArticle: {true, true, true}, EditAnyArticle: {false, true, true},
		PublishArticle: {false, true, true}, CorrectArticle: {false, true, true}, ManageSections: {false, true, true},
		ManageAuthors: {false, true, true}, ManageTags: {false, true, true}, ManageTopStories: {false, true, true}, ManagePages: {false, true, true},
		UploadMedia: {true, true, true}, EditMedia: {false, true, true}, ViewAudit: {false, true, true},
		ManageUsers: {false, false, true}, ManageOwnAccount: {true, true, true}, ManageSettings: {false, false, true},
		PlanBudget: {false, true, true},
	}
	for a, w := range want {
		for i, r := range news.Roles {
			if got := Can(r, a); got != w[i] {
				t.Errorf("Can(%s, %s) = %v, want %v", r, a, got, w[i])
			}
		}
		if Can("", a) || Can("root", a) {
			t.Errorf("an unknown role may %s", a)
		}
	}
	for r, acts := range policy {
		for _, a := range acts {
			if _, ok := want[a]; !ok {
				t.Errorf("%s may %s, which this test does not know", r, a)
			}
		}
	}
}

func TestCanEditAndMove(t *testing.T) {
	writer := &news.User{ID: 1, Role: news.Contributor}
	other := &news.User{ID: 2, Role: news.Contributor}
	editor := &news.User{ID: 3, Role: news.Editor}
	art := func(st news.Status) *news.Editorial {
		return &news.Editorial{Article: &news.Article{Status: st}, CreatedBy: 1}
	}
	tests := []struct {
		u      *news.User
		status news.Status
		edit   bool
		to     news.Status
		move   bool
	}{
		{writer, news.Draft, true, news.Review, true},
		{writer, news.Draft, true, news.Published, false},
		{writer, news.Draft, true, news.Scheduled, false},
		{writer, news.Review, false, news.Draft, false},
		{writer, news.Published, false, news.Draft, false},
		{other, news.Draft, false, news.Review, false},
		{editor, news.Review, true, news.Published, true},
		{editor, news.Published, true, news.Draft, true},
	}
	for _, tt := range tests {
		e := art(tt.status)
		if got := CanEdit(tt.u, e); got != tt.edit {
			t.Errorf("user %d (%s) editing a %s: got %v, want %v", tt.u.ID, tt.u.Role, tt.status, got, tt.edit)
		}
		if got := CanMove(tt.u, e, tt.to); got != tt.move {
			t.Errorf("user %d (%s) moving a %s to %s: got %v, want %v", tt.u.ID, tt.u.Role, tt.status, tt.to, got, tt.move)
		}
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery staple")
	}
}
