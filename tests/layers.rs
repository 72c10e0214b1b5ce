//! The module layering is an invariant, checked here so that `cargo test` (and so CI)
//! fails when it breaks: a module names only modules below it in [`LAYERS`], so the module
//! graph has no cycle. ARCHITECTURE.md states the same order; the test checks that too.
//!
//! Every path in `src/` is read: `use crate::…` (grouped ones too), inline `crate::a::b`,
//! and `super::` paths that climb out of their top-level folder. Comments and string
//! literals are skipped. Plain Rust, nothing to install.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer order, bottom to top. A module may name only modules listed before it.
const LAYERS: &[&str] = &[
    "extract", "diff", "alert", "config", "render", "fetch", "store", "notify", "check",
    "schedule", "report", "cli",
];

#[test]
fn lower_modules_never_name_higher_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut violations = Vec::new();
    for file in rust_files(&root.join("src")) {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap();
        violations.extend(check_file(&rel, &text, LAYERS));
    }
    assert!(
        violations.is_empty(),
        "lower layers name higher ones (order: {}):\n{}",
        LAYERS.join(" < "),
        violations.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let declared = declared_modules(&lib);
    let listed: BTreeSet<String> = LAYERS.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = declared.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&declared).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "src/lib.rs modules without a layer: {missing:?}; layers without a module: {stale:?}; \
         add the module to LAYERS in tests/layers.rs and to ARCHITECTURE.md"
    );
}

#[test]
fn architecture_states_the_same_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let line = LAYERS
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(" → ");
    assert!(
        doc.contains(&line),
        "ARCHITECTURE.md must state the layer order as:\n{line}"
    );
}

/// The checker itself can fail: a bad import is found, a good one is not.
#[test]
fn the_check_catches_upward_paths() {
    let layers = &["low", "mid", "high"];
    let bad = [
        ("src/low.rs", "use crate::high::Thing;"),
        ("src/mid.rs", "use crate::{low::A, high};"),
        ("src/low/x.rs", "fn f() { let _ = crate::mid::g(); }"),
        ("src/low/x.rs", "use super::super::high::Thing;"),
        ("src/mid/a/b.rs", "use super::super::super::high::T;"),
        (
            "src/low.rs",
            "#[cfg(test)]\nmod tests {\n    use super::super::high::Thing;\n}",
        ),
    ];
    for (file, src) in bad {
        assert_eq!(check_file(file, src, layers).len(), 1, "{file}: {src}");
    }
    let good = [
        (
            "src/high.rs",
            "use crate::{low, mid::A};\nuse crate::helper;",
        ),
        (
            "src/low/x.rs",
            "use super::y::Thing;\nmod t { use super::super::z; }",
        ),
        (
            "src/mid.rs",
            "// use crate::high::Thing;\nconst S: &str = \"crate::high\";",
        ),
        (
            "src/mid/a.rs",
            "let c = '\"'; let s = r#\"crate::high\"#; use crate::low;",
        ),
        ("src/lib.rs", "pub mod high;"),
    ];
    for (file, src) in good {
        assert_eq!(check_file(file, src, layers), Vec::<String>::new(), "{src}");
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `mod x;` / `pub mod x;` declarations of lib.rs.
fn declared_modules(lib: &str) -> BTreeSet<String> {
    let code = strip(lib);
    let tokens = tokens(&code);
    let mut out = BTreeSet::new();
    for i in 0..tokens.len() {
        if tokens[i].0 == "mod" && tokens.get(i + 2).is_some_and(|t| t.0 == ";") {
            out.insert(tokens[i + 1].0.clone());
        }
    }
    out
}

/// The module path of a file under `src/`: `src/a/b.rs` → `[a, b]`, `src/a/mod.rs` → `[a]`.
/// `None` for the crate roots.
fn module_path(rel: &str) -> Option<Vec<String>> {
    let inner = rel.strip_prefix("src/")?.strip_suffix(".rs")?;
    let mut parts: Vec<String> = inner.split('/').map(String::from).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main") {
        return None;
    }
    Some(parts)
}

/// Violations in one file: every path naming a top-level module above the file's own.
fn check_file(rel: &str, text: &str, layers: &[&str]) -> Vec<String> {
    let Some(path) = module_path(rel) else {
        return Vec::new();
    };
    let own = &path[0];
    let Some(own_layer) = layers.iter().position(|l| l == own) else {
        return vec![format!("{rel}: module `{own}` has no layer")];
    };
    let code = strip(text);
    let tokens = tokens(&code);
    let mut out = Vec::new();
    for (name, line) in named_modules(&tokens, path.len()) {
        if name == *own {
            continue;
        }
        if let Some(layer) = layers.iter().position(|l| *l == name)
            && layer > own_layer
        {
            out.push(format!(
                "{rel}:{line}: `{own}` names `{name}`, a higher layer"
            ));
        }
    }
    out
}

/// Top-level names reached by the paths in a token stream, with their line. `depth` is the
/// module depth of the file (`src/a/b.rs` is 2); inline `mod x { … }` blocks add to it.
fn named_modules(tokens: &[(String, usize)], depth: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    // Braces opened by an inline `mod name {`, to know how deep `super::` starts.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (tok, line) = (&tokens[i].0, tokens[i].1);
        match tok.as_str() {
            "{" => {
                let is_mod = i >= 2 && tokens[i - 2].0 == "mod";
                braces.push(is_mod);
            }
            "}" => {
                braces.pop();
            }
            "crate"
                if (i == 0 || tokens[i - 1].0 != "$")
                    && tokens.get(i + 1).is_some_and(|t| t.0 == "::") =>
            {
                out.extend(after_root(tokens, i + 2).into_iter().map(|n| (n, line)));
            }
            "super" if i == 0 || tokens[i - 1].0 != "::" => {
                let mut ups = 0;
                let mut j = i;
                while tokens.get(j).is_some_and(|t| t.0 == "super")
                    && tokens.get(j + 1).is_some_and(|t| t.0 == "::")
                {
                    ups += 1;
                    j += 2;
                }
                if ups == 0 {
                    i += 1;
                    continue;
                }
                let here = depth + braces.iter().filter(|m| **m).count();
                if ups >= here {
                    // Climbed to the crate root: what follows names a top-level module.
                    out.extend(after_root(tokens, j).into_iter().map(|n| (n, line)));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The first segment(s) after `crate::`: one name, or each item of a `{…}` group.
fn after_root(tokens: &[(String, usize)], at: usize) -> Vec<String> {
    match tokens.get(at).map(|t| t.0.as_str()) {
        Some("{") => {
            let mut names = Vec::new();
            let mut level = 0;
            let mut expect_name = true;
            for (tok, _) in &tokens[at..] {
                match tok.as_str() {
                    "{" => {
                        level += 1;
                        continue;
                    }
                    "}" => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    "," if level == 1 => expect_name = true,
                    t if level == 1 && expect_name && is_ident(t) => {
                        names.push(t.to_string());
                        expect_name = false;
                    }
                    _ => {}
                }
            }
            names
        }
        Some(t) if is_ident(t) => vec![t.to_string()],
        _ => Vec::new(),
    }
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, and single punctuation characters, each with its line.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((chars[start..i].iter().collect(), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(("::".into(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

/// The code with comments, string and char literals blanked (newlines kept, for lines).
fn strip(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[char]| {
        for ch in s {
            out.push(if *ch == '\n' { '\n' } else { ' ' });
        }
    };
    while i < c.len() {
        let rest = &c[i..];
        if rest.starts_with(&['/', '/']) {
            let end = rest.iter().position(|&x| x == '\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(&['/', '*']) {
            let mut level = 0;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with(&['/', '*']) {
                    level += 1;
                    j += 2;
                } else if rest[j..].starts_with(&['*', '/']) {
                    level -= 1;
                    j += 2;
                    if level == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if rest[0] == 'r'
            && (i == 0 || c[i - 1] == 'b' || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'))
            && rest.get(1).is_some_and(|&x| x == '#' || x == '"')
        {
            // Raw string: r"…" or r#"…"#.
            let hashes = rest[1..].iter().take_while(|&&x| x == '#').count();
            if rest.get(1 + hashes) != Some(&'"') {
                out.push('r');
                i += 1;
                continue;
            }
            let mut close = vec!['"'];
            close.extend(std::iter::repeat_n('#', hashes));
            let body = 2 + hashes;
            let end = (body..rest.len())
                .find(|&j| rest[j..].starts_with(&close))
                .map_or(rest.len(), |j| j + close.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == '"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != '"' {
                j += if rest[j] == '\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == '\'' {
            // A char literal ('x', '\n', '\''), not a lifetime ('a).
            let len = if rest.get(1) == Some(&'\\') {
                rest.iter().skip(2).position(|&x| x == '\'').map(|p| p + 3)
            } else if rest.get(2) == Some(&'\'') {
                Some(3)
            } else {
                None
            };
            match len {
                Some(n) => {
                    blank(&mut out, &rest[..n]);
                    i += n;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    out
}
