package news

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"@ana please check", []string{"ana"}},
		{"ask @Ana.Silva.", []string{"Ana.Silva"}},
		{"(@bo) and @cé-line-", []string{"bo", "cé-line"}},
		{"write to ana@example.org", nil},
		{"@@ana", nil},
		{"@ alone", nil},
		{"@a_b@c", []string{"a_b"}},
		{"two:@x,@y", []string{"x", "y"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range Mentions(tt.text) {
			got = append(got, m.Handle)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Mentions(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHandles(t *testing.T) {
	ana := &User{ID: 1, Name: "Ana Silva", Email: "asilva@example.org"}
	ana2 := &User{ID: 2, Name: "Ana Costa", Email: "ana@example.org"}
	bo := &User{ID: 3, Name: "Bo Lind", Email: "bo.lind@example.org"}
	gone := &User{ID: 4, Name: "Gone Person", Email: "gone@example.org", Disabled: true}
	h := Handles([]*User{ana, ana2, bo, gone})
	for handle, want := range map[string]*User{"anasilva": ana, "asilva": ana, "anacosta": ana2, "ana": ana2, "bo": bo, "bo.lind": bo, "bolind": bo} {
		if h[handle] != want {
			t.Errorf("@%s is %+v, want %s", handle, h[handle], want.Name)
		}
	}
	if h["gone"] != nil || h["goneperson"] != nil {
		t.Error("a disabled account can be mentioned")
	}
	// "ana" is Ana Costa's address, so the shared first name does not
	// make it ambiguous; with no address of that name it would be no one.
	if h2 := Handles([]*User{ana, {ID: 5, Name: "Ana Ruiz", Email: "ruiz@example.org"}}); h2["ana"] != nil {
		t.Errorf("a first name two accounts share names %+v", h2["ana"])
	}
}

func TestCleanNote(t *testing.T) {
	if s, err := CleanNote("note", "  line one\r\nline two \n"); err != nil || s != "line one\nline two" {
		t.Errorf("CleanNote: %q, %v", s, err)
	}
	for _, bad := range []string{"", "   ", "a\x00b", "a\u202eb", strings.Repeat("x", MaxNote+1), "\xff"} {
		if _, err := CleanNote("note", bad); ErrorCode(err) != EINVALID {
			t.Errorf("CleanNote(%q): %v, want refused", bad, err)
		}
	}
}

// FuzzMentions: every mention found is inside the text, starts at an @,
// is the handle after it, does not overlap the next, and is valid text.
func FuzzMentions(f *testing.F) {
	for _, s := range []string{"@ana", "mail a@b.c", "@@x @y.", "(@é-) @-", "\xff@a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, m := range Mentions(text) {
			if m.Start < end || m.End > len(text) || m.End <= m.Start+1 {
				t.Fatalf("mention %+v out of place in %q", m, text)
			}
			if text[m.Start] != '@' || text[m.Start+1:m.End] != m.Handle {
				t.Fatalf("mention %+v is not @handle in %q", m, text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(m.Handle) {
				t.Fatalf("handle %q of valid text is not valid", m.Handle)
			}
			end = m.End
		}
	})
}
