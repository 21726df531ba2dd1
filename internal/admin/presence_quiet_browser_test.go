package admin

import (
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestPresenceAlertIsQuietInChromium: the notice that someone else holds
// the story is an alert (read out at once when it changes); heartbeats
// that learn nothing new leave it untouched, so a screen reader does not
// read it out again every heartbeat. Rewriting the same text replaces its
// text nodes, which a live region reports as a change.
func TestPresenceAlertIsQuietInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.draft(t, "contributor", "Harbour strike ends")
		path := "/admin/articles/" + itoa(e.Article.ID)
		ed := f.browse(t, "editor")
		ed.open(path)
		adm := f.browse(t, "admin")
		adm.open(path)
		adm.eval(`(() => {
			window.beats = 0;
			window.changes = [];
			const send = window.fetch;
			window.fetch = (...a) => send(...a).then((r) => { window.beats++; return r; });
			for (const id of ['presence-lock', 'presence-take', 'presence-taken', 'presence-others']) {
				new MutationObserver((ms) => { for (const m of ms) window.changes.push(id + ': ' + m.type); })
					.observe(document.getElementById(id), { subtree: true, childList: true, characterData: true, attributes: true });
			}
			return '';
		})()`)
		adm.waitFor(`window.beats >= 4`)
		if got := adm.eval(`window.changes.join('; ')`); got != "" {
			t.Errorf("heartbeats that learnt nothing new changed the presence notices: %s", got)
		}
		if got := adm.eval(`document.querySelector('#presence-holder').textContent`); got != "Editor Person" {
			t.Errorf("the holder shown: %q", got)
		}
	})
}

// TestBudgetLengthAnyNumberInChromium: the expected length takes any
// number of words the server takes (0 to 100,000): a browser does not
// refuse 720 as off a step of 50, nor let 100,001 through.
func TestBudgetLengthAnyNumberInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ed := f.browse(t, "editor")
		ed.open("/admin/budget")
		got := ed.eval(`(() => { const w = document.getElementById('words'), out = [];
			for (const v of ['720', '0', '100000', '100001', '-5']) { w.value = v; out.push(v + ':' + w.checkValidity()); }
			return out.join(' '); })()`)
		if want := "720:true 0:true 100000:true 100001:false -5:false"; got != want {
			t.Errorf("the length field's validity: %s, want %s", got, want)
		}
	})
}
