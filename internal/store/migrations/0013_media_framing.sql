-- A photo's framing: its focal point and the crops an editor drew for the
-- 16:9, 4:3 and 1:1 shapes, as news.Framing writes it ("focus=X,Y
-- 16x9=x,y,w,h ..."). Empty, as every photo stored before this starts,
-- is the centre with every crop suggested from it.
ALTER TABLE media ADD COLUMN framing TEXT NOT NULL DEFAULT '';
