package media

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3Config says which bucket of which S3-compatible service holds a
// store, and how to reach it.
type S3Config struct {
	Bucket string
	Prefix string // names are stored under it: "site/" keeps "site/public/…"; "" for the bucket's top
	// Endpoint is the service's URL ("http://127.0.0.1:8333",
	// "https://fra1.digitaloceanspaces.com"); empty for AWS itself.
	Endpoint string
	Region   string // empty: AWS_REGION or the profile's, else "us-east-1" (most other services ignore it, but requests are signed with it)
	// PathStyle addresses the bucket in the path (endpoint/bucket/key)
	// rather than the host name (bucket.endpoint/key), as most servers
	// other than AWS need.
	PathStyle bool
	// PartSize is the size of the parts PutStream sends a large object
	// in, and so the memory it holds: 0 for 16 MiB; at least 5 MiB, the
	// smallest part S3 takes (but for the last).
	PartSize int64
	// The access key; empty: the AWS SDK's usual places (AWS_ACCESS_KEY_ID
	// and the rest of the environment, ~/.aws/credentials and config with
	// AWS_PROFILE, a web identity, an EC2 or container role).
	AccessKeyID, SecretAccessKey, SessionToken string
}

// ParseS3URL reads "s3://BUCKET/PREFIX" (the prefix optional) into the
// bucket and a prefix that is empty or ends in "/".
func ParseS3URL(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", "", fmt.Errorf("%q is not an s3://BUCKET/PREFIX address", s)
	}
	// Bucket names: 3 to 63 of lower-case letters, digits, dots and
	// hyphens (AWS's rules, which other services follow).
	bucket = u.Host
	if len(bucket) < 3 || len(bucket) > 63 || strings.Trim(bucket, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
		return "", "", fmt.Errorf("%q: %q is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)", s, bucket)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		if path.Clean(prefix) != prefix || strings.HasPrefix(prefix, "../") || prefix == ".." {
			return "", "", fmt.Errorf("%q: the prefix %q is not a clean path", s, prefix)
		}
		prefix += "/"
	}
	return bucket, prefix, nil
}

// S3 keeps a store's objects in a bucket of an S3-compatible object
// store, under a prefix. Nothing is written with an ACL: originals are as
// private as the bucket, and the operator who wants variants served
// straight from the bucket (or a CDN in front of it) makes PREFIX/public/
// readable by a bucket policy (docs/operations.md). Variants carry the
// year-long Cache-Control that Newsdesk serves them with.
type S3 struct {
	client   *s3.Client
	bucket   string
	prefix   string
	where    string // "s3://bucket/prefix"
	partSize int64
}

// Part sizes of PutStream; S3 takes at most maxParts parts to an object,
// so the default bounds one at 156 GiB.
const (
	MinPartSize     = 5 << 20
	defaultPartSize = 16 << 20
	maxParts        = 10000
)

// Timeouts of one request to the object store. A store that accepts
// connections but does not answer must not hold uploads and pages for
// ever: after these, the call fails with ErrUnavailable.
const (
	s3DialTimeout   = 5 * time.Second
	s3HeaderTimeout = 30 * time.Second
	s3OpTimeout     = 2 * time.Minute // a whole Put of a 20 MB original, or a listing page, retries included
)

// OpenS3 returns the bucket of cfg as a store's Blobs. It sends nothing:
// Check asks the service whether the bucket is there and readable.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("media: no bucket given")
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = defaultPartSize
	} else if cfg.PartSize < MinPartSize {
		return nil, fmt.Errorf("media: a part of %d bytes is smaller than the %d S3 takes", cfg.PartSize, MinPartSize)
	}
	if cfg.Prefix != "" && !strings.HasSuffix(cfg.Prefix, "/") {
		cfg.Prefix += "/"
	}
	// The SDK's own client, with our timeouts: it can take a custom CA
	// bundle (AWS_CA_BUNDLE) where a plain http.Client cannot.
	hc := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) {
			d.Timeout = s3DialTimeout
		}).
		WithTransportOptions(func(t *http.Transport) {
			t.ResponseHeaderTimeout = s3HeaderTimeout
			t.MaxIdleConnsPerHost = 64 // pages' photos and crops are fetched in parallel
		})
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(hc),
		// Three tries with short waits: an upload fails within seconds
		// when the store is down, with a message, rather than after a
		// minute; and no budget of retries shared by all requests, which
		// an outage would exhaust, so that the first request after one
		// is tried like any other.
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.MaxBackoff = time.Second
				o.RateLimiter = ratelimit.None
			})
		}),
		// The SDK's default CRC32 trailers (aws-chunked uploads) are
		// refused by many S3-compatible servers; Put sends Content-MD5,
		// which every one checks, instead.
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	} else {
		// AWS_REGION or the profile's, else the one most other stores
		// expect.
		opts = append(opts, config.WithDefaultRegion("us-east-1"))
	}
	if cfg.AccessKeyID != "" || cfg.SecretAccessKey != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)))
	}
	ac, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("media: the AWS configuration: %w", err)
	}
	client := s3.NewFromConfig(ac, func(o *s3.Options) {
		o.UsePathStyle = cfg.PathStyle
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	return &S3{client: client, bucket: cfg.Bucket, prefix: cfg.Prefix, where: "s3://" + cfg.Bucket + "/" + cfg.Prefix, partSize: cfg.PartSize}, nil
}

// String is "s3://bucket/prefix".
func (b *S3) String() string { return b.where }

// Close releases nothing: the client's idle connections close by themselves.
func (b *S3) Close() error { return nil }

// Check lists at most one object under the prefix: it fails when the
// bucket is missing, the credentials are refused or the service cannot be
// reached (ErrUnavailable). Listing rather than asking for the bucket
// itself needs only the rights a policy limited to the prefix grants.
func (b *S3) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	_, err := b.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &b.bucket, Prefix: aws.String(b.prefix), MaxKeys: aws.Int32(1)})
	return b.fail("listing", "", err)
}

// fail turns the SDK's error for op on name into the package's: a missing
// object matches fs.ErrNotExist; a service that could not be reached or
// failed on its side (no answer, 5xx, throttling) is an unavailableError;
// a refusal (403, a missing bucket) names what was refused.
func (b *S3) fail(op, name string, err error) error {
	if err == nil {
		return nil
	}
	what := op
	if name != "" {
		what += " " + name
	}
	var status interface{ HTTPStatusCode() int }
	code := 0
	if errors.As(err, &status) {
		code = status.HTTPStatusCode()
	}
	switch {
	case code == http.StatusNotFound && name != "" && !strings.Contains(err.Error(), "NoSuchBucket"):
		return fmt.Errorf("media: %s in %s: %w", what, b.where, fs.ErrNotExist)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("media: %s in %s: %w", what, b.where, err)
	case code == 0 || code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests:
		return &unavailableError{where: b.where, op: what, err: err}
	}
	return fmt.Errorf("media: %s in %s: %w", what, b.where, err)
}

// key is the object key of name.
func (b *S3) key(name string) string { return b.prefix + name }

// contentType is the type an object is stored with, from its name's
// extension: the names are made by this package, from checked content.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".jpg", ".jpeg":
		return typeJPEG
	case ".png":
		return typePNG
	case ".gif":
		return typeGIF
	case ".webp":
		return typeWebP
	}
	return "application/octet-stream"
}

// Put stores data unless the object exists. The service checks the bytes
// against their Content-MD5, and an object appears whole or not at all,
// so no reader sees half of one.
func (b *S3) Put(ctx context.Context, name string, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	if _, err := b.Stat(ctx, name); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return b.putObject(ctx, name, data)
}

// putObject stores data as name with one request, replacing any object.
func (b *S3) putObject(ctx context.Context, name string, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	sum := md5.Sum(data)
	in := &s3.PutObjectInput{
		Bucket:        &b.bucket,
		Key:           aws.String(b.key(name)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
		ContentMD5:    aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		ContentType:   aws.String(contentType(name)),
	}
	if !private(name) {
		in.CacheControl = aws.String(variantCacheControl)
	}
	_, err := b.client.PutObject(ctx, in)
	return b.fail("storing", name, err)
}

// PutStream stores the bytes of r as name, replacing any object there,
// holding no more than one part of them in memory whatever their size (a
// backup's copy of a database of many gigabytes). An object of up to one
// part is stored with one PutObject; a larger one with a multipart upload,
// each part checked by the service against its Content-MD5. The object
// appears whole when the upload completes, or not at all: when reading r
// or sending a part fails, the upload is aborted and nothing is stored.
func (b *S3) PutStream(ctx context.Context, name string, r io.Reader) error {
	buf := make([]byte, b.partSize)
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return b.putObject(ctx, name, buf[:n])
	} else if err != nil {
		return fmt.Errorf("media: storing %s in %s: %w", name, b.where, err)
	}
	cctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	in := &s3.CreateMultipartUploadInput{Bucket: &b.bucket, Key: aws.String(b.key(name)), ContentType: aws.String(contentType(name))}
	if !private(name) {
		in.CacheControl = aws.String(variantCacheControl)
	}
	up, err := b.client.CreateMultipartUpload(cctx, in)
	cancel()
	if err != nil {
		return b.fail("storing", name, err)
	}
	done := false
	defer func() {
		if !done {
			// Parts of an upload never completed are kept, and billed,
			// until it is aborted. Aborted even when ctx was cancelled.
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s3OpTimeout)
			defer cancel()
			b.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: &b.bucket, Key: up.Key, UploadId: up.UploadId})
		}
	}()
	var parts []types.CompletedPart
	for num := int32(1); ; num++ {
		if num > maxParts {
			return fmt.Errorf("media: storing %s in %s: more than %d parts of %d bytes", name, b.where, maxParts, b.partSize)
		}
		sum := md5.Sum(buf[:n])
		pctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
		out, err := b.client.UploadPart(pctx, &s3.UploadPartInput{Bucket: &b.bucket, Key: up.Key, UploadId: up.UploadId,
			PartNumber: aws.Int32(num), Body: bytes.NewReader(buf[:n]), ContentLength: aws.Int64(int64(n)),
			ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
		cancel()
		if err != nil {
			return b.fail(fmt.Sprintf("storing part %d of", num), name, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
		n, err = io.ReadFull(r, buf)
		if err == io.EOF {
			break
		} else if err != nil && err != io.ErrUnexpectedEOF {
			return fmt.Errorf("media: storing %s in %s: %w", name, b.where, err)
		}
	}
	cctx, cancel = context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	_, err = b.client.CompleteMultipartUpload(cctx, &s3.CompleteMultipartUploadInput{Bucket: &b.bucket, Key: up.Key, UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		return b.fail("storing", name, err)
	}
	done = true
	return nil
}

// Create stores data as name only if no object has that name, which the
// service decides at once for all writers (If-None-Match: *, which AWS S3
// and SeaweedFS honour): of two Creates of one name, one fails with an
// error matching fs.ErrExist. It is for locks, not photos.
func (b *S3) Create(ctx context.Context, name string, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	sum := md5.Sum(data)
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &b.bucket, Key: aws.String(b.key(name)),
		Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data))), IfNoneMatch: aws.String("*"),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])), ContentType: aws.String("application/json")})
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && (status.HTTPStatusCode() == http.StatusPreconditionFailed || status.HTTPStatusCode() == http.StatusConflict) {
		// 409: another conditional write of the name is under way.
		return fmt.Errorf("media: creating %s in %s: %w", name, b.where, fs.ErrExist)
	}
	return b.fail("creating", name, err)
}

// ReadTagged reads a small object whole (at most max bytes), with its
// ETag, which DeleteTagged takes to remove that very object. It is for
// locks, not photos.
func (b *S3) ReadTagged(ctx context.Context, name string, max int64) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.bucket, Key: aws.String(b.key(name))})
	if err != nil {
		return nil, "", b.fail("reading", name, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, max))
	if err != nil {
		return nil, "", b.fail("reading", name, err)
	}
	return data, aws.ToString(out.ETag), nil
}

// DeleteTagged removes name only if it is still the object of that ETag
// (If-Match, which AWS S3 and SeaweedFS honour): an object replaced
// meanwhile is left, and the error matches ErrChanged.
func (b *S3) DeleteTagged(ctx context.Context, name, etag string) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b.bucket, Key: aws.String(b.key(name)), IfMatch: aws.String(etag)})
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && (status.HTTPStatusCode() == http.StatusPreconditionFailed || status.HTTPStatusCode() == http.StatusConflict) {
		return fmt.Errorf("media: removing %s in %s: %w", name, b.where, ErrChanged)
	}
	return b.fail("removing", name, err)
}

// Stat asks for the object's size and date.
func (b *S3) Stat(ctx context.Context, name string) (BlobInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.bucket, Key: aws.String(b.key(name))})
	if err != nil {
		return BlobInfo{}, b.fail("looking up", name, err)
	}
	return BlobInfo{Name: name, Size: aws.ToInt64(out.ContentLength), ModTime: aws.ToTime(out.LastModified)}, nil
}

// Open asks for the object's size; its bytes are asked for on the first
// Read, from the offset Seek left, so that a caller who only wants the
// size (a feed's enclosure length) or a range costs no whole download.
func (b *S3) Open(ctx context.Context, name string) (Blob, error) {
	info, err := b.Stat(ctx, name)
	if err != nil {
		return nil, err
	}
	return &s3Blob{s3: b, ctx: ctx, info: info}, nil
}

// List pages through the objects under the prefix, a thousand at a time.
func (b *S3) List(ctx context.Context, prefix string, fn func(BlobInfo) error) error {
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: &b.bucket, Prefix: aws.String(b.key(prefix))})
	for p.HasMorePages() {
		pctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
		page, err := p.NextPage(pctx)
		cancel()
		if err != nil {
			return b.fail("listing", prefix, err)
		}
		for _, o := range page.Contents {
			name, ok := strings.CutPrefix(aws.ToString(o.Key), b.prefix)
			if !ok {
				continue
			}
			if err := fn(BlobInfo{Name: name, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete removes the object.
func (b *S3) Delete(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, s3OpTimeout)
	defer cancel()
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &b.bucket, Key: aws.String(b.key(name))})
	return b.fail("removing", name, err)
}

// s3Blob reads an object from an offset, asking for its bytes when first
// read after a Seek.
type s3Blob struct {
	s3   *S3
	ctx  context.Context
	info BlobInfo
	off  int64
	body io.ReadCloser // nil until read, and after a Seek
}

func (o *s3Blob) Read(p []byte) (int, error) {
	if o.off >= o.info.Size {
		return 0, io.EOF
	}
	if o.body == nil {
		in := &s3.GetObjectInput{Bucket: &o.s3.bucket, Key: aws.String(o.s3.key(o.info.Name))}
		if o.off > 0 {
			in.Range = aws.String(fmt.Sprintf("bytes=%d-", o.off))
		}
		out, err := o.s3.client.GetObject(o.ctx, in)
		if err != nil {
			return 0, o.s3.fail("reading", o.info.Name, err)
		}
		o.body = out.Body
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	if err == io.EOF && o.off < o.info.Size {
		err = fmt.Errorf("media: reading %s in %s: %w", o.info.Name, o.s3.where, io.ErrUnexpectedEOF)
	}
	return n, err
}

func (o *s3Blob) Seek(offset int64, whence int) (int64, error) {
	var to int64
	switch whence {
	case io.SeekStart:
		to = offset
	case io.SeekCurrent:
		to = o.off + offset
	case io.SeekEnd:
		to = o.info.Size + offset
	default:
		return o.off, errors.New("media: seek: bad whence")
	}
	if to < 0 {
		return o.off, errors.New("media: seek: negative position")
	}
	if to != o.off && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.off = to
	return to, nil
}

func (o *s3Blob) Close() error {
	if o.body != nil {
		err := o.body.Close()
		o.body = nil
		return err
	}
	return nil
}

func (o *s3Blob) Stat() (fs.FileInfo, error) { return blobFileInfo{o.info}, nil }

// blobFileInfo is a BlobInfo as an fs.FileInfo.
type blobFileInfo struct{ i BlobInfo }

func (f blobFileInfo) Name() string       { return path.Base(f.i.Name) }
func (f blobFileInfo) Size() int64        { return f.i.Size }
func (f blobFileInfo) Mode() fs.FileMode  { return 0o444 }
func (f blobFileInfo) ModTime() time.Time { return f.i.ModTime }
func (f blobFileInfo) IsDir() bool        { return false }
func (f blobFileInfo) Sys() any           { return nil }
