package main

import (
	"context"
	"os"
	"runtime/pprof"
	"testing"
)

func TestZZExport(t *testing.T) {
	dir := os.Getenv("ZZ_OUT")
	data := os.Getenv("ZZ_DATA")
	if dir == "" {
		t.Skip()
	}
	if f := os.Getenv("ZZ_IMPORT"); f != "" {
		if err := run(context.Background(), []string{"import", "--data", data, f}, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
			t.Fatal(err)
		}
	}
	if p := os.Getenv("ZZ_PROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	err := run(context.Background(), []string{"export", dir, "--data", data, "--base-url", "https://news.example.org"}, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
}
