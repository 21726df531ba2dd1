package admin

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestLiveDeskCtrlEnterInChromium: on the live desk, Ctrl+Enter in the
// update's text box posts it (admin.js), and the desk shows it.
func TestLiveDeskCtrlEnterInChromium(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		e := f.story(t, "contributor", "Floods in the valley", "news/world", nil, nil, true)
		desk := "/admin/articles/" + itoa(e.Article.ID) + "/live"
		if res := f.as(t, "editor").post(desk+"/start", nil); res.status != 303 {
			t.Fatalf("start: status %d", res.status)
		}
		bt := f.browse(t, "editor")
		bt.open(desk)
		bt.typeInto("#live-body", "The river is over its banks.")
		bt.within(func(ctx context.Context) error {
			_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdpage.LoadEventFired, nil, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
					if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter",
						WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Modifiers: 2 /* Ctrl */}); err != nil {
						return err
					}
				}
				return nil
			})))
			return err
		})
		if loc := bt.eval(`location.pathname + location.search`); loc != desk+"?done=live-posted" {
			t.Errorf("after Ctrl+Enter the tab is at %q", loc)
		}
		ups, err := st.LiveUpdates(ctx, e.Article.ID)
		if err != nil || len(ups) != 1 || ups[0].Body != "The river is over its banks." {
			t.Fatalf("updates after Ctrl+Enter: %+v, %v", ups, err)
		}
		if html := bt.html(); !strings.Contains(html, `id="update-`+itoa(ups[0].ID)+`"`) {
			t.Errorf("the desk does not show the posted update:\n%s", html)
		}
	})
}
