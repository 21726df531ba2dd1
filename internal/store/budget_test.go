package store_test

import (
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestBudgetLines: lines are created, read with their assignee's and
// section's names, listed by day (and for a writer: theirs and the
// unassigned), claimed once, linked to one story once, and follow that
// story's status; bad input is refused naming the field.
func TestBudgetLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ed := newUser(t, s, "ed@example.org", news.Editor)
		ana := newUser(t, s, "ana@example.org", news.Contributor)
		bo := newUser(t, s, "bo@example.org", news.Contributor)
		sec, err := s.EnsureSectionPath(ctx, "news")
		if err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
		mine := &news.BudgetLine{SlugLine: " HARBOUR-STRIKE ", AssigneeID: ana.ID, SectionID: sec.ID, DueAt: day.Add(17 * time.Hour),
			Words: 800, Notes: "talk to the union", Stored: news.BudgetPlanned, CreatedBy: ed.ID}
		open := &news.BudgetLine{SlugLine: "FERRY-TIMES", SectionID: sec.ID, DueAt: day.Add(9 * time.Hour), Stored: news.BudgetAssigned, CreatedBy: ed.ID}
		theirs := &news.BudgetLine{SlugLine: "COUNCIL-VOTE", AssigneeID: bo.ID, SectionID: sec.ID, DueAt: day.Add(12 * time.Hour), Stored: news.BudgetWriting}
		later := &news.BudgetLine{SlugLine: "NEXT-WEEK", SectionID: sec.ID, DueAt: day.Add(7 * 24 * time.Hour), Stored: news.BudgetPlanned}
		for _, l := range []*news.BudgetLine{mine, open, theirs, later} {
			if err := s.CreateBudgetLine(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		// Given to someone, a planned line is assigned; given to nobody,
		// an assigned one is planned.
		if mine.Stored != news.BudgetAssigned || open.Stored != news.BudgetPlanned || mine.SlugLine != "HARBOUR-STRIKE" {
			t.Errorf("after saving: %q %q %q", mine.SlugLine, mine.Stored, open.Stored)
		}
		got, err := s.BudgetLine(ctx, mine.ID)
		if err != nil || got.AssigneeName != ana.Name || got.SectionName != sec.Name || !got.DueAt.Equal(mine.DueAt) ||
			got.Words != 800 || got.Notes != "talk to the union" || got.Status() != news.BudgetAssigned || got.CreatedBy != ed.ID {
			t.Fatalf("BudgetLine: %+v, %v", got, err)
		}

		all, err := s.BudgetLines(ctx, store.BudgetFilter{From: day, To: day.Add(24 * time.Hour)})
		if err != nil || len(all) != 3 || all[0].ID != open.ID || all[1].ID != theirs.ID || all[2].ID != mine.ID {
			t.Fatalf("the day's lines: %v, %v; want the three of the day by due time", slugLines(all), err)
		}
		anas, err := s.BudgetLines(ctx, store.BudgetFilter{From: day, To: day.Add(24 * time.Hour), Writer: ana.ID})
		if err != nil || len(anas) != 2 || anas[0].ID != open.ID || anas[1].ID != mine.ID {
			t.Fatalf("Ana's view: %v, %v; want the unassigned line and hers", slugLines(anas), err)
		}
		// A line nobody has whose story the desk started is the desk's.
		deskStory := newArticle(t, s, "news", "Started by the desk", time.Now(), nil, nil)
		desk := &news.BudgetLine{SlugLine: "DESK-STORY", SectionID: sec.ID, DueAt: day.Add(10 * time.Hour), Stored: news.BudgetPlanned}
		if err := s.CreateBudgetLine(ctx, desk); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkBudgetLine(ctx, desk.ID, deskStory.ID); err != nil {
			t.Fatal(err)
		}
		if anas, err := s.BudgetLines(ctx, store.BudgetFilter{From: day, To: day.Add(24 * time.Hour), Writer: ana.ID}); err != nil || len(anas) != 2 {
			t.Errorf("Ana's view with the desk's started line: %v, %v; want it left out", slugLines(anas), err)
		}

		for _, bad := range []news.BudgetLine{
			{SlugLine: "", SectionID: sec.ID, DueAt: day, Stored: news.BudgetPlanned},
			{SlugLine: "X", SectionID: 0, DueAt: day, Stored: news.BudgetPlanned},
			{SlugLine: "X", SectionID: sec.ID, Stored: news.BudgetPlanned},
			{SlugLine: "X", SectionID: sec.ID, DueAt: day, Words: -1, Stored: news.BudgetPlanned},
			{SlugLine: "X", SectionID: sec.ID, DueAt: day, Stored: news.BudgetReady},
			{SlugLine: "X", SectionID: sec.ID + 100, DueAt: day, Stored: news.BudgetPlanned},
			{SlugLine: "X", SectionID: sec.ID, DueAt: day, AssigneeID: 9999, Stored: news.BudgetPlanned},
		} {
			if err := s.CreateBudgetLine(ctx, &bad); news.ErrorCode(err) != news.EINVALID {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}

		// Taking an unassigned line: once.
		if err := s.ClaimBudgetLine(ctx, open.ID, ana.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.ClaimBudgetLine(ctx, open.ID, bo.ID); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("taking a taken line: %v, want a conflict", err)
		}
		if got, _ := s.BudgetLine(ctx, open.ID); got.AssigneeID != ana.ID || got.Status() != news.BudgetAssigned {
			t.Errorf("the line taken: %+v", got)
		}

		// Editing keeps the link; deleting leaves the story.
		mine.Notes, mine.Words = "the union speaks at four", 600
		if err := s.UpdateBudgetLine(ctx, mine); err != nil {
			t.Fatal(err)
		}
		a := newArticle(t, s, "news", "Harbour strike", time.Now(), nil, nil)
		if err := s.MoveArticle(ctx, a.ID, store.Move{From: news.Published, To: news.Draft, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkBudgetLine(ctx, mine.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.LinkBudgetLine(ctx, mine.ID, a.ID); news.ErrorCode(err) != news.ECONFLICT {
			t.Errorf("a second story for one line: %v, want a conflict", err)
		}
		for _, step := range []struct {
			to   news.Status
			want news.BudgetStatus
		}{
			{news.Draft, news.BudgetWriting},
			{news.Review, news.BudgetInReview},
			{news.Scheduled, news.BudgetReady},
			{news.Published, news.BudgetPublished},
		} {
			cur, err := s.BudgetLine(ctx, mine.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cur.ArticleStatus != step.to {
				if err := s.MoveArticle(ctx, a.ID, store.Move{From: cur.ArticleStatus, To: step.to, At: time.Now(), PublishAt: time.Now().Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			cur, _ = s.BudgetLine(ctx, mine.ID)
			if cur.Status() != step.want || cur.Headline != "Harbour strike" || cur.Notes != "the union speaks at four" {
				t.Errorf("story %s: line %s (%q), want %s", step.to, cur.Status(), cur.Notes, step.want)
			}
			if byStory, err := s.BudgetLineOfArticle(ctx, a.ID); err != nil || byStory.ID != mine.ID {
				t.Errorf("BudgetLineOfArticle: %v, %v", byStory, err)
			}
		}
		// Editing the planning after the story exists keeps the link.
		mine.Words = 700
		if err := s.UpdateBudgetLine(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if cur, _ := s.BudgetLine(ctx, mine.ID); cur.ArticleID != a.ID || cur.Status() != news.BudgetPublished || cur.Words != 700 {
			t.Errorf("after editing a line with a story: %+v", cur)
		}
		if err := s.DeleteBudgetLine(ctx, mine.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BudgetLine(ctx, mine.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("a deleted line: %v", err)
		}
		if err := s.DeleteBudgetLine(ctx, mine.ID); news.ErrorCode(err) != news.ENOTFOUND {
			t.Errorf("deleting twice: %v", err)
		}
		if _, err := s.Editorial(ctx, a.ID); err != nil {
			t.Errorf("the story of a deleted line: %v", err)
		}
	})
}

func slugLines(ls []*news.BudgetLine) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.SlugLine)
	}
	return out
}
