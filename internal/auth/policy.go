package auth

import "github.com/newsdesk/newsdesk/internal/news"

// Action is something a signed-in user asks to do. Every admin route names
// the one action it performs, and Can decides.
type Action string

// The actions of the newsroom.
const (
	ViewDesk         Action = "desk.view"        // the desk, article lists, previews, history
	WriteArticle     Action = "article.write"    // create articles, edit one's own drafts, submit them
	EditAnyArticle   Action = "article.edit-any" // edit any article, in any status
	PublishArticle   Action = "article.publish"  // publish, schedule, unpublish
	CorrectArticle   Action = "article.correct"  // append a correction
	ManageSections   Action = "sections.manage"  // create, rename, move, reorder sections
	ManageAuthors    Action = "authors.manage"   // authors and agencies
	ManageTags       Action = "tags.manage"      // tags
	ManageTopStories Action = "top.manage"       // the home page's top stories
	ManagePages      Action = "pages.manage"     // standing pages (About, the policies): write, publish, place
	UploadMedia      Action = "media.upload"     // add photos to the library
	EditMedia        Action = "media.edit"       // change a photo's default caption, credit, alt
	ViewAudit        Action = "audit.view"       // read the audit log
	ManageUsers      Action = "users.manage"     // accounts, roles, invitations, others' sessions
	ManageOwnAccount Action = "account.manage"   // one's own password and sessions
	ManageSettings   Action = "settings.manage"  // the publication's settings and alternate addresses
	PlanBudget       Action = "budget.plan"      // plan, assign, change and delete the story budget's lines
)

// policy is the single table of who may do what. An action missing from a
// role's list is refused.
var policy = map[news.Role][]Action{
	news.Contributor: {ViewDesk, WriteArticle, UploadMedia, ManageOwnAccount},
	news.Editor: {ViewDesk, WriteArticle, EditAnyArticle, PublishArticle, CorrectArticle,
		ManageSections, ManageAuthors, ManageTags, ManageTopStories, ManagePages, UploadMedia, EditMedia, ViewAudit, ManageOwnAccount, PlanBudget},
	news.Admin: {ViewDesk, WriteArticle, EditAnyArticle, PublishArticle, CorrectArticle,
		ManageSections, ManageAuthors, ManageTags, ManageTopStories, ManagePages, UploadMedia, EditMedia, ViewAudit, ManageOwnAccount,
		ManageUsers, ManageSettings, PlanBudget},
}

// Can reports whether a role may perform an action.
func Can(role news.Role, a Action) bool {
	for _, x := range policy[role] {
		if x == a {
			return true
		}
	}
	return false
}

// CanEdit reports whether u may change an article's text: anyone allowed to
// edit any article, or its own writer while it is still a draft. Once filed
// for review it is the editors' until they send it back.
func CanEdit(u *news.User, e *news.Editorial) bool {
	if Can(u.Role, EditAnyArticle) {
		return true
	}
	return Can(u.Role, WriteArticle) && e.CreatedBy == u.ID && e.Article.Status == news.Draft
}

// CanMove reports whether u may move an article to status to: submitting
// one's own draft for review needs only WriteArticle; publishing,
// scheduling and taking back need PublishArticle. The workflow's own rules
// (news.CheckTransition) apply on top.
func CanMove(u *news.User, e *news.Editorial, to news.Status) bool {
	if Can(u.Role, PublishArticle) {
		return true
	}
	return to == news.Review && CanEdit(u, e)
}

// ArticleScope is which articles u may see in the newsroom, in every list,
// search, page and message that names articles: all of them for anyone who
// may edit any article; otherwise only the ones u started, whatever their
// status. It is the one copy of that rule; the store applies it in SQL.
func ArticleScope(u *news.User) news.ArticleScope {
	if Can(u.Role, EditAnyArticle) {
		return news.EveryArticle()
	}
	return news.WriterArticles(u.ID)
}

// CanView reports whether u may see an article in the newsroom: open it,
// its history, or find it named anywhere (ArticleScope).
func CanView(u *news.User, e *news.Editorial) bool { return ArticleScope(u).Includes(e) }
