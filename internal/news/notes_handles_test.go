package news

import "testing"

// TestHandlesSharedByTwoAccounts: a handle two active accounts answer to
// (one's name without spaces is the other's address before the @, or two
// accounts have the same name or the same address before the @ at two
// domains) names no one, as a shared first name does (an address still
// comes before a first name: @sam is sam@'s): before, the account
// listed last took it, and a note meant for one colleague went to another.
func TestHandlesSharedByTwoAccounts(t *testing.T) {
	ana := &User{ID: 1, Name: "Ana Silva", Email: "asilva@example.org"}
	other := &User{ID: 2, Name: "Bo Lind", Email: "anasilva@agency.example"}
	sam1 := &User{ID: 3, Name: "Sam Lee", Email: "sam@example.org"}
	sam2 := &User{ID: 4, Name: "Sam Lee", Email: "slee@example.org"}
	kim1 := &User{ID: 5, Name: "Kim Berg", Email: "kim@example.org"}
	kim2 := &User{ID: 6, Name: "Kim Olsen", Email: "kim@agency.example"}
	for _, order := range [][]*User{{ana, other, sam1, sam2, kim1, kim2}, {kim2, kim1, sam2, sam1, other, ana}} {
		h := Handles(order)
		for _, shared := range []string{"anasilva", "samlee", "kim"} {
			if h[shared] != nil {
				t.Errorf("@%s, which two accounts answer to, names %s", shared, h[shared].Name)
			}
		}
		for handle, want := range map[string]*User{"asilva": ana, "bolind": other, "bo": other, "slee": sam2, "sam": sam1, "kimberg": kim1, "kimolsen": kim2} {
			if h[handle] != want {
				t.Errorf("@%s is %+v, want %s", handle, h[handle], want.Name)
			}
		}
	}
}
