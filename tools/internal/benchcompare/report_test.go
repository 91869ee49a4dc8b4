package benchcompare

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

func summary(name string, procs int, med, lo, hi time.Duration, rss, sum int64) Summary {
	return Summary{
		Name: name, Runs: 10, Procs: procs,
		Wall:    Spread[time.Duration]{med, lo, hi},
		PeakRSS: Spread[int64]{rss, rss, rss},
		SumRSS:  Spread[int64]{sum, sum, sum},
	}
}

func sampleResults() []Result {
	return []Result{
		{
			Section: "Against the floor", Case: "vault, 1 id", IDs: 1,
			A:         summary("openclaw-vault-resolver", 1, ms(6.123), ms(5.98), ms(7.011), 12_400<<10, 12_400<<10),
			B:         summary("floor", 1, ms(2.9), ms(2.5), ms(3.25), 1<<20, 1<<20),
			WallRatio: 2.1114, RSSRatio: 12.1,
			Targets: []TargetResult{{Name: "≤ 2.5× the floor", Figure: "2.1×", Met: true}},
		},
		{
			Section: "Vault: ours against the bundled Node resolver", Case: "512 ids | 64 paths", IDs: 512,
			A:         summary("openclaw-vault-resolver", 1, ms(17.04), ms(16), ms(19), 12<<20, 12<<20),
			B:         summary("bundled Node resolver", 1, ms(366.4), ms(350), ms(1234.5), 131<<20, 131<<20),
			WallRatio: 0.0465, RSSRatio: 0.0916,
			Targets: []TargetResult{
				{Name: "≥ 15× faster", Figure: "21.5×", Met: true},
				{Name: "≥ 6× less memory", Figure: "5.5×", Met: false},
			},
			Note: "Vault served 512 reads.",
		},
		{
			Section: "Against the floor", Case: "four at once", IDs: 4,
			A:         summary("four resolvers", 4, ms(30), ms(28), ms(35), 34<<20, 60<<20),
			B:         summary("four floors", 4, ms(5), ms(4), ms(6), 1<<20, 4<<20),
			WallRatio: 6, RSSRatio: 34,
		},
	}
}

func TestMarkdownTable(t *testing.T) {
	var buf bytes.Buffer
	if err := Markdown(&buf, sampleResults()); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, part := range []string{
		"### Against the floor\n",
		"| case | ids | A: openclaw-vault-resolver ms (min–max) | B: floor ms (min–max) | A/B time | A MiB | B MiB | A/B memory | targets |\n",
		"| vault, 1 id | 1 | 6.12 (5.98–7.01) | 2.90 (2.50–3.25) | 2.11× | 12.1 | 1.0 | 12.1× | ✓ ≤ 2.5× the floor (2.1×) |\n",
		"### Vault: ours against the bundled Node resolver\n",
		`| 512 ids \| 64 paths | 512 | 17.0 (16.0–19.0) | 366 (350–1230) | 0.0465× | 12.0 | 131.0 | 0.0916× | ✓ ≥ 15× faster (21.5×); ✗ ≥ 6× less memory (5.5×) |`,
		"\n512 ids | 64 paths: Vault served 512 reads.\n",
		"| case | ids | A: four resolvers (4 procs) ms (min–max) | B: four floors (4 procs) ms (min–max) |",
		"| four at once | 4 | 30.0 (28.0–35.0) | 5.00 (4.00–6.00) | 6.00× | 34.0 (sum 60.0) | 1.0 (sum 4.0) | 34.0× | — |\n",
		"Medians of 10 runs of each side, alternating.",
	} {
		if !strings.Contains(md, part) {
			t.Errorf("Markdown lacks %q:\n%s", part, md)
		}
	}
	if n := strings.Count(md, "### Against the floor"); n != 1 {
		t.Errorf("the floor's section has %d headings, want one", n)
	}
	// The four-at-once rows have other sides: a table of their own, in
	// the floor's section, before the Vault section.
	if strings.Index(md, "four at once") > strings.Index(md, "### Vault") {
		t.Errorf("the second table of a section is not under its heading:\n%s", md)
	}
	if strings.Count(md, "\n|---|---:|") != 3 {
		t.Errorf("want three tables:\n%s", md)
	}
	if strings.Contains(md, "≤:") {
		t.Errorf("upper-bound note without upper bounds:\n%s", md)
	}
}

func TestMarkdownMarksUpperBounds(t *testing.T) {
	r := sampleResults()[0]
	r.B.PeakRSSAtMost, r.B.SumRSSAtMost, r.B.RSSBound = true, true, 5<<20
	var buf bytes.Buffer
	if err := Markdown(&buf, []Result{r}); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, part := range []string{"| 12.1 | ≤ 1.0 | ≥ 12.1× |", "≤: an upper bound", "(5.0 MiB here)"} {
		if !strings.Contains(md, part) {
			t.Errorf("Markdown lacks %q:\n%s", part, md)
		}
	}
	r.A.PeakRSSAtMost = true
	if got := rssRatioCell(r); got != "—" {
		t.Errorf("both sides bounded: ratio cell %q, want —", got)
	}
	r.B.PeakRSSAtMost = false
	if got := rssRatioCell(r); got != "≤ 12.1×" {
		t.Errorf("A bounded: ratio cell %q, want ≤ 12.1×", got)
	}
}

func TestSig3(t *testing.T) {
	for v, want := range map[float64]string{
		6.123: "6.12", 110.4: "110", 17: "17.0", 0.5123: "0.512", 1234: "1230",
		9.996: "10.0", 99.96: "100", 0.0465: "0.0465", 0: "0",
	} {
		if got := sig3(v); got != want {
			t.Errorf("sig3(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	in := sampleResults()
	if err := WriteJSON(&buf, in); err != nil {
		t.Fatal(err)
	}
	var out []Result
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 || out[1].B.Wall.Max != in[1].B.Wall.Max || out[1].Targets[1].Met || out[1].Note != in[1].Note {
		t.Errorf("JSON round trip lost figures: %+v", out)
	}
	if !strings.Contains(buf.String(), "≥ 6× less memory") {
		t.Errorf("JSON escapes text it need not: %s", buf.String())
	}
	buf.Reset()
	if err := WriteJSON(&buf, nil); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("no results: %q, %v", buf.String(), err)
	}
}
