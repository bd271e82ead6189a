//! The names of the build's CSS, JS and wasm files, which every page links.

use leptos::config::LeptosOptions;
use std::path::PathBuf;

/// Where the page finds the app's files (`/pkg/name.hash.css`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFiles {
    pub css: String,
    pub js: String,
    pub wasm: String,
    /// The page's module script, [`LOADER`] with the names it loads: hydrates the islands once
    /// the browser is first idle, then keeps navigation in the page. Made here, once, because it
    /// only depends on the names.
    pub hydration_script: String,
}

impl SiteFiles {
    /// The names a build made with `options`: with the hashes cargo-leptos leaves beside the
    /// binary when it hashes file names (`css: …`, `js: …`, `wasm: …` lines), plain otherwise.
    pub fn of(options: &LeptosOptions, hashes: Option<&str>) -> Self {
        let name = |kind: &str| {
            let hash = hashes.filter(|_| options.hash_files).and_then(|hashes| {
                hashes.lines().find_map(|line| {
                    let (file, hash) = line.split_once(':')?;
                    (file.trim() == kind).then(|| hash.trim())
                })
            });
            let base = format!("/{}/{}", options.site_pkg_dir, options.output_name);
            match hash {
                Some(hash) => format!("{base}.{hash}.{kind}"),
                None => format!("{base}.{kind}"),
            }
        };
        let (css, js, wasm) = (name("css"), name("js"), name("wasm"));
        // The names are ours (base64url hashes), so Rust's string quoting is valid JS.
        let hydration_script = format!("const JS = {js:?}, WASM = {wasm:?};\n{}", loader());
        Self {
            css,
            js,
            wasm,
            hydration_script,
        }
    }

    /// The names for the build this server runs, read once at startup: the files do not
    /// change while it runs (Leptos's own components read the hash file for every page).
    pub fn for_build(options: &LeptosOptions) -> Self {
        let hashes = options
            .hash_files
            .then(|| std::fs::read_to_string(hash_file(options)?).ok())
            .flatten();
        Self::of(options, hashes.as_deref())
    }
}

/// The browser side of every page. Inlined rather than served as a file: it is small, it
/// would be one more request before hydration, and it would need a hashed name of its own.
const LOADER: &str = include_str!("../loader.js");

/// [`LOADER`] without its comment lines, which every page would otherwise carry.
fn loader() -> String {
    LOADER
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a release build by cargo-leptos leaves the hashes of the site's files: beside the
/// binary.
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("site")
            .site_pkg_dir("pkg")
            .hash_files(hash_files)
            .build()
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let hashes = "js: Jh4\nwasm: Wx_9\ncss: C-1\n";
        let files = SiteFiles::of(&options(true), Some(hashes));
        assert_eq!(
            names(&files),
            [
                "/pkg/site.C-1.css",
                "/pkg/site.Jh4.js",
                "/pkg/site.Wx_9.wasm"
            ]
        );
        // The script loads exactly these two files.
        assert!(files
            .hydration_script
            .starts_with(r#"const JS = "/pkg/site.Jh4.js", WASM = "/pkg/site.Wx_9.wasm";"#));
        assert!(files.hydration_script.contains("import(JS)"));
        assert!(files.hydration_script.contains("module_or_path: WASM"));
        assert!(!files.hydration_script.contains("// "));
    }

    fn names(files: &SiteFiles) -> [&str; 3] {
        [&files.css, &files.js, &files.wasm]
    }

    #[test]
    fn without_hashing_or_a_hash_file_the_names_are_plain() {
        let plain = ["/pkg/site.css", "/pkg/site.js", "/pkg/site.wasm"];
        assert_eq!(
            names(&SiteFiles::of(&options(false), Some("js: Jh4\n"))),
            plain
        );
        assert_eq!(names(&SiteFiles::of(&options(true), None)), plain);
    }
}
