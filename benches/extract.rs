//! Extraction throughput: `decode_html` + `Extractor::extract` on large generated news pages.
//!
//! The pages are built here from invented text (Acme, Globex, Initech...): a head with
//! scripts and styles, a cookie banner, a header with navigation, a long article whose
//! paragraphs mix topic sentences (exclusivity, cloud, revenue share) with ordinary news
//! prose, bullet lists, sub-headings and figures, related-story asides inside the article,
//! a "most read" rail, an About section and a footer. Sizes are about 100 KB, 1 MB and 5 MB.
//! Throughput is reported in bytes of raw page, so criterion prints MB/s.
//!
//! Run: `cargo bench --bench extract -- --warm-up-time 1 --measurement-time 5`.

use std::fmt::Write as _;
use std::hint::black_box;

use clausewatch::extract::charset::decode_html;
use clausewatch::extract::{ExtractOptions, Extractor};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Page sizes to measure: (label, approximate bytes).
const SIZES: [(&str, usize); 3] = [
    ("100KB", 100 * 1024),
    ("1MB", 1024 * 1024),
    ("5MB", 5 * 1024 * 1024),
];

const COMPANIES: [&str; 8] = [
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Soylent", "Vandelay", "Wonka",
];

/// Sentences about a watched topic (`{a}`, `{b}` are companies).
const TOPIC_SENTENCES: [&str; 8] = [
    "{a} said on Monday that it has named {b} its primary cloud provider for the next five years.",
    "Under the agreement, {b} becomes the exclusive reseller of {a} anvils in Europe and Asia.",
    "{a} will pay {b} a revenue share of 15 percent on every model sold through its marketplace.",
    "{b} will host all of {a}'s training workloads in its data centers, the companies said.",
    "The deal gives {a} exclusive rights to distribute {b} software to hospitals until 2030.",
    "{b} committed to buy $2 billion of compute capacity from {a} over seven years.",
    "Both companies will share revenue from joint customers, according to a filing.",
    "{a} agreed not to use any other cloud provider for its flagship models, a person said.",
];

/// Ordinary news prose.
const PLAIN_SENTENCES: [&str; 12] = [
    "{a} was founded in 2011 in Tucson, Arizona, by two former engineers from {b}.",
    "Shares of {a} rose 3 percent in early trading on Tuesday, while the wider market fell.",
    "The company employs about 4,200 people, most of them in Ohio, Texas and Ontario.",
    "Analysts at a large bank said the results, which beat estimates, were encouraging.",
    "{b}'s chief executive, who joined last year, has cut costs and closed two plants.",
    "Neither company disclosed the financial terms, and both declined to comment further.",
    "The announcement came a week after {a} reported quarterly sales of $1.2 billion.",
    "Mr. Smith, who ran the unit until March, left to start a company of his own.",
    "Regulators in Brussels have asked several questions about the market for anvils.",
    "{b} also makes rockets, roller skates and, since 2019, a line of portable holes.",
    "The two firms first worked together in 2016 on a pilot project in Denver.",
    "Some customers have complained about delays, according to people familiar with the matter.",
];

/// Deterministic xorshift so every run measures the same pages.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }

    fn sentence(&mut self, pool: &[&str]) -> String {
        let a = self.pick(&COMPANIES);
        let mut b = self.pick(&COMPANIES);
        if a == b {
            b = "Globex";
        }
        self.pick(pool).replace("{a}", a).replace("{b}", b)
    }

    /// A paragraph of 3–6 sentences, about one in four of them on a topic.
    fn paragraph(&mut self) -> String {
        let n = 3 + self.next() % 4;
        let mut p = String::new();
        for i in 0..n {
            if i > 0 {
                p.push(' ');
            }
            let s = if self.next().is_multiple_of(4) {
                self.sentence(&TOPIC_SENTENCES)
            } else {
                self.sentence(&PLAIN_SENTENCES)
            };
            p.push_str(&s);
        }
        p
    }
}

/// Page chrome before the article: head, cookie banner, header with navigation.
fn page_head(out: &mut String, rng: &mut Rng) {
    out.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<title>Acme and Globex sign a cloud pact | Anvil Daily</title>");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width\">");
    out.push_str("<style>");
    for i in 0..60 {
        let _ = write!(
            out,
            ".c{i}{{margin:0 {i}px;padding:2px;color:#{:06x}}}",
            rng.next() % 0xffffff
        );
    }
    out.push_str("</style><script>window.dataLayer=window.dataLayer||[];");
    for i in 0..40 {
        let _ = write!(
            out,
            "dataLayer.push({{event:'view{i}',section:'cloud',exclusive:true}});"
        );
    }
    out.push_str("</script><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Acme and Globex sign a cloud pact\"}</script></head><body>");
    out.push_str("<div class=\"cookie-banner\" role=\"dialog\"><p>We use cookies and our partners store cookies to give you an exclusive experience in the cloud.</p><button>Accept</button></div>");
    out.push_str("<header class=\"site-header\"><div class=\"logo\"><a href=\"/\">Anvil Daily</a></div><nav><ul>");
    for section in [
        "World", "Business", "Cloud", "Markets", "Tech", "Science", "Opinion", "Sport",
    ] {
        let _ = write!(
            out,
            "<li><a href=\"/{}\">{section}</a></li>",
            section.to_lowercase()
        );
    }
    out.push_str("</ul></nav></header>");
}

/// A related-stories box of teaser links.
fn related(out: &mut String, rng: &mut Rng) {
    out.push_str("<aside class=\"related-stories\"><h3>Related stories</h3><ul>");
    for i in 0..4 {
        let _ = write!(
            out,
            "<li><a href=\"/story/{}\">{}</a></li>",
            rng.next() % 100_000 + i,
            rng.sentence(&TOPIC_SENTENCES)
        );
    }
    out.push_str("</ul></aside>");
}

/// One generated page of about `target` bytes.
fn page(target: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ target as u64);
    let mut out = String::with_capacity(target + 16 * 1024);
    page_head(&mut out, &mut rng);
    out.push_str("<main><article><h1>Acme makes Globex its primary cloud provider</h1>");
    out.push_str("<p class=\"byline\">By A. Writer, Anvil Daily</p><div class=\"article-body\">");
    // Leave room for the tail (rail, About, footer): about 6 KB.
    let body_target = target.saturating_sub(6 * 1024);
    let mut n = 0usize;
    while out.len() < body_target {
        n += 1;
        if n.is_multiple_of(12) {
            let _ = write!(out, "<h2>{}</h2>", rng.sentence(&PLAIN_SENTENCES));
        }
        if n.is_multiple_of(9) {
            out.push_str("<ul>");
            for _ in 0..3 {
                let _ = write!(out, "<li>{}</li>", rng.sentence(&TOPIC_SENTENCES));
            }
            out.push_str("</ul>");
        }
        if n.is_multiple_of(15) {
            related(&mut out, &mut rng);
        }
        if n.is_multiple_of(20) {
            out.push_str("<figure><img src=\"/anvil.jpg\" alt=\"An anvil\"><figcaption>An anvil at the Globex plant, exclusively photographed.</figcaption></figure>");
        }
        let p = rng.paragraph();
        // Some CMSs wrap sentences in spans and links.
        if n.is_multiple_of(5) {
            let (head, tail) = p.split_at(p.find(' ').unwrap_or(0));
            let _ = write!(
                out,
                "<p><strong>{head}</strong>{tail} <a href=\"/more\">More on this</a>.</p>"
            );
        } else {
            let _ = write!(out, "<p>{p}</p>");
        }
    }
    out.push_str("<h2>About Acme</h2><p>Acme is the exclusive maker of robot coyotes and a cloud pioneer.</p>");
    out.push_str(
        "</div><div class=\"tags\">Tags: cloud, exclusivity, revenue share</div></article>",
    );
    out.push_str("<section class=\"most-popular\"><h2>Most read</h2><ol>");
    for i in 0..10 {
        let _ = write!(
            out,
            "<li><a href=\"/p/{i}\">{}</a></li>",
            rng.sentence(&PLAIN_SENTENCES)
        );
    }
    out.push_str("</ol></section><div class=\"newsletter-signup\"><p>Sign up for our newsletter: exclusive cloud analysis delivered to your inbox.</p></div></main>");
    out.push_str(
        "<footer><p>About us: Anvil Daily is the exclusive source for anvil news.</p><ul>",
    );
    for l in ["Contact", "Privacy", "Terms", "Careers", "Advertise"] {
        let _ = write!(out, "<li><a href=\"/{l}\">{l}</a></li>");
    }
    out.push_str(
        "</ul><p>Copyright 2026 Anvil Daily. All rights reserved.</p></footer></body></html>",
    );
    out
}

fn bench_extract(c: &mut Criterion) {
    let extractor = Extractor::new(ExtractOptions::default()).expect("default options compile");
    let mut group = c.benchmark_group("extract");
    for (label, size) in SIZES {
        let bytes = page(size).into_bytes();
        // Sanity check: the page is realistic enough that the article is found and the
        // teasers are not.
        let ex = extractor.extract(&decode_html(&bytes, Some("text/html; charset=utf-8")));
        assert!(
            ex.clauses.len() > 10,
            "{label}: {} clauses",
            ex.clauses.len()
        );
        assert!(
            ex.main_text_chars * 2 > bytes.len(),
            "{label}: article not found"
        );
        if size >= 1024 * 1024 {
            group.sample_size(10);
        }
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("decode+extract", label),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    let html = decode_html(black_box(bytes), Some("text/html; charset=utf-8"));
                    black_box(extractor.extract(&html))
                });
            },
        );
    }
    group.finish();

    // What `--explain` costs on top, on the smallest page.
    let bytes = page(SIZES[0].1).into_bytes();
    let mut group = c.benchmark_group("explain_page");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("decode+explain", SIZES[0].0),
        &bytes,
        |b, bytes| {
            b.iter(|| {
                let html = decode_html(black_box(bytes), Some("text/html; charset=utf-8"));
                black_box(extractor.explain_page(&html))
            });
        },
    );
    group.finish();
}

criterion_group!(benches, bench_extract);
criterion_main!(benches);
