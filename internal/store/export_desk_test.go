package store

// SetAuthorSortSet sets how many stories the list sorts by author in one
// statement (authorSortSet), so a test can make it walk the authors; the
// function returned puts it back.
func SetAuthorSortSet(n int) func() {
	old := authorSortSet
	authorSortSet = n
	return func() { authorSortSet = old }
}
