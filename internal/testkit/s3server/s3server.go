// Package s3server gives tests an S3-compatible object store: the shared
// server that scripts/lib.sh's nd_s3_start runs and names in
// NEWSDESK_TEST_S3, or a server of the test's own, started from the
// SeaweedFS binary that scripts/setup builds, which the test may stop and
// start again. Like testkit, it skips a test when the server is missing,
// except under CI (CI=true), where it fails it.
//
// It imports nothing of Newsdesk, so that internal/media's own tests can
// use it (testkit imports media).
package s3server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestBucket is the bucket tests share on a server; each test works under
// a prefix of its own in it (one bucket, because SeaweedFS gives each
// bucket volumes of its own).
const TestBucket = "newsdesk-test"

// Bucket is where a test keeps its objects, and how to reach them.
type Bucket struct {
	Endpoint                     string // "http://127.0.0.1:18333"
	Region                       string
	Bucket                       string
	Prefix                       string // "t-…/": the test's own; its objects are removed when it ends
	AccessKeyID, SecretAccessKey string
}

// URL is the bucket and prefix as an s3:// address.
func (b Bucket) URL() string { return "s3://" + b.Bucket + "/" + b.Prefix }

// missing stops the test because the server is not there: a failure under
// CI, a skip elsewhere.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

// Shared returns a fresh prefix in TestBucket on the server of
// NEWSDESK_TEST_S3, an address with the access key and secret as its
// user and password: http://KEY:SECRET@127.0.0.1:18333. The prefix's
// objects are removed when the test ends.
func Shared(t testing.TB) Bucket {
	t.Helper()
	v := os.Getenv("NEWSDESK_TEST_S3")
	if v == "" {
		missing(t, "NEWSDESK_TEST_S3 is not set: the S3 variant of this test needs an S3 server (.ci/run starts one with nd_s3_start from scripts/lib.sh; scripts/setup builds it)")
	}
	b, err := parse(v)
	if err != nil {
		t.Fatalf("NEWSDESK_TEST_S3: %v", err)
	}
	return fresh(t, b)
}

// parse reads NEWSDESK_TEST_S3.
func parse(v string) (Bucket, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User == nil {
		return Bucket{}, fmt.Errorf("%q is not http://KEY:SECRET@HOST:PORT", v)
	}
	secret, _ := u.User.Password()
	return Bucket{Endpoint: u.Scheme + "://" + u.Host, Region: "us-east-1", Bucket: TestBucket,
		AccessKeyID: u.User.Username(), SecretAccessKey: secret}, nil
}

// Client returns an S3 client for b's server, for tests that look at the
// objects themselves.
func (b Bucket) Client() *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(b.Endpoint),
		Region:       b.Region,
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(b.AccessKeyID, b.SecretAccessKey, ""),
		// SeaweedFS takes the SDK's checksums, but the store under test
		// sends none unless asked: the tests' client does the same.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}

// fresh makes sure b's bucket exists and gives the test a prefix of its
// own in it, emptied when the test ends.
func fresh(t testing.TB, b Bucket) Bucket {
	t.Helper()
	// A server just started may answer before its filer is ready to
	// keep buckets: tried for a minute.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		err := ensureBucket(ctx, b)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("S3 server %s: %v", b.Endpoint, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Prefix = "t-" + strings.ToLower(rand.Text()[:12]) + "/"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := empty(ctx, b); err != nil {
			t.Logf("removing the test's objects from %s: %v", b.URL(), err)
		}
	})
	return b
}

// ensureBucket creates b's bucket unless it exists.
func ensureBucket(ctx context.Context, b Bucket) error {
	c := b.Client()
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &b.Bucket}); err == nil {
		return nil
	}
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &b.Bucket})
	var owned *types.BucketAlreadyOwnedByYou
	var exists *types.BucketAlreadyExists
	if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
		return fmt.Errorf("creating the bucket %s: %w", b.Bucket, err)
	}
	return nil
}

// empty removes every object under b's prefix.
func empty(ctx context.Context, b Bucket) error {
	c := b.Client()
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &b.Bucket, Prefix: &b.Prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, o := range page.Contents {
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b.Bucket, Key: o.Key}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Binary returns the path of the SeaweedFS program: NEWSDESK_WEED, or
// bin/weed in the tools folder of scripts/setup ($NEWSDESK_TOOLS, or
// newsdesk-tools in the user's cache folder, as nd_tools_dir in
// scripts/lib.sh). Without one it skips the test, or fails it under CI.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("NEWSDESK_WEED"); p != "" {
		return p
	}
	dir := os.Getenv("NEWSDESK_TOOLS")
	if dir == "" {
		if c, err := os.UserCacheDir(); err == nil {
			dir = filepath.Join(c, "newsdesk-tools")
		}
	}
	p := filepath.Join(dir, "bin", "weed")
	if _, err := os.Stat(p); err != nil {
		missing(t, "no SeaweedFS program at %s (scripts/setup builds it; or set NEWSDESK_WEED)", p)
	}
	return p
}

// Server is a SeaweedFS server a test started: master, volume, filer and
// S3 gateway in one process, on loopback, its data in a folder of the
// test's. It is stopped when the test ends.
type Server struct {
	bin, dir string
	ports    [4]int // master, volume, filer, S3
	key      Bucket // endpoint and credentials

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// Start starts a server of the test's own and waits until its S3 gateway
// stores objects.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{bin: Binary(t), dir: t.TempDir()}
	ports, err := freePorts(len(s.ports))
	if err != nil {
		t.Fatal(err)
	}
	copy(s.ports[:], ports)
	s.key = Bucket{Endpoint: "http://127.0.0.1:" + strconv.Itoa(s.ports[3]), Region: "us-east-1", Bucket: TestBucket,
		AccessKeyID: "newsdesk", SecretAccessKey: strings.ToLower(rand.Text())}
	conf := fmt.Sprintf(`{"identities": [{"name": "newsdesk", "credentials": [{"accessKey": %q, "secretKey": %q}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}`,
		s.key.AccessKeyID, s.key.SecretAccessKey)
	if err := os.WriteFile(filepath.Join(s.dir, "s3.json"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(s.dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("stopping SeaweedFS: %v", err)
		}
	})
	s.StartAgain(t)
	return s
}

// freePorts returns n ports on which nothing listens now, each with
// nothing on the port 10000 above it either, where SeaweedFS puts its
// gRPC listeners.
func freePorts(n int) ([]int, error) {
	var out []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for tries := 0; len(out) < n && tries < 200; tries++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		held = append(held, l)
		p := l.Addr().(*net.TCPAddr).Port
		if p+10000 > 65535 {
			continue
		}
		g, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			continue
		}
		held = append(held, g)
		out = append(out, p)
	}
	if len(out) < n {
		return nil, errors.New("no free ports for SeaweedFS")
	}
	return out, nil
}

// Bucket returns a fresh prefix in TestBucket on the server.
func (s *Server) Bucket(t testing.TB) Bucket {
	t.Helper()
	return fresh(t, s.key)
}

// URL is NEWSDESK_TEST_S3's form of the server's address, for programs
// the test starts.
func (s *Server) URL() string {
	u, _ := url.Parse(s.key.Endpoint)
	u.User = url.UserPassword(s.key.AccessKeyID, s.key.SecretAccessKey)
	return u.String()
}

// PID is the server process's id while it runs, else 0.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// StartAgain starts the server (again, after Stop: on the same ports and
// data) and waits up to two minutes for its S3 gateway to store an object.
func (s *Server) StartAgain(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	if s.cmd != nil {
		s.mu.Unlock()
		t.Fatal("SeaweedFS is running already")
	}
	cmd := exec.Command(s.bin, "server",
		"-dir="+filepath.Join(s.dir, "data"),
		"-ip=127.0.0.1", "-ip.bind=127.0.0.1",
		"-master.port="+strconv.Itoa(s.ports[0]),
		"-volume.port="+strconv.Itoa(s.ports[1]),
		"-filer.port="+strconv.Itoa(s.ports[2]),
		// Small volumes and few of them: a test stores megabytes. A
		// second to stop rather than ten.
		"-master.volumeSizeLimitMB=64", "-volume.max=16", "-volume.preStopSeconds=1",
		"-s3", "-s3.port="+strconv.Itoa(s.ports[3]),
		// Catalogue services on fixed ports, which a second server
		// (the shared one) would hold: off.
		"-s3.port.iceberg=0", "-s3.port.lance=0",
		"-s3.config="+filepath.Join(s.dir, "s3.json"))
	log, err := os.OpenFile(filepath.Join(s.dir, "weed.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		s.mu.Unlock()
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	// Stopped with the test binary if it dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		s.mu.Unlock()
		t.Fatalf("starting SeaweedFS: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.ready(ctx, done); err != nil {
		out, _ := os.ReadFile(filepath.Join(s.dir, "weed.log"))
		if len(out) > 4000 {
			out = out[len(out)-4000:]
		}
		t.Fatalf("SeaweedFS did not come up: %v\n%s", err, out)
	}
}

// ready waits until an object can be stored and removed in TestBucket.
func (s *Server) ready(ctx context.Context, done <-chan struct{}) error {
	c := s.key.Client()
	probe := "ready-" + strings.ToLower(rand.Text()[:8])
	var last error
	for {
		select {
		case <-done:
			return errors.New("the process exited")
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
		actx, cancel := context.WithTimeout(ctx, 10*time.Second)
		last = ensureBucket(actx, s.key)
		if last == nil {
			_, last = c.PutObject(actx, &s3.PutObjectInput{Bucket: &s.key.Bucket, Key: &probe, Body: strings.NewReader("ok")})
		}
		if last == nil {
			_, last = c.DeleteObject(actx, &s3.DeleteObjectInput{Bucket: &s.key.Bucket, Key: &probe})
		}
		cancel()
		if last == nil {
			return nil
		}
	}
}

// Stop stops the server by its process id, as an operator or a crash
// would, and waits for it to exit.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
}

func (s *Server) stop() error {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := syscall.Kill(cmd.Process.Pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stopping SeaweedFS (pid %d): %w", cmd.Process.Pid, err)
	}
	select {
	case <-done:
		return nil
	case <-time.After(30 * time.Second):
	}
	syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
	<-done
	return nil
}
