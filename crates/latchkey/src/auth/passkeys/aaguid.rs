//! Names passkeys after their provider.
//!
//! An authenticator reports its AAGUID (a 16-byte model identifier) when it registers a
//! credential. Passkey providers such as iCloud Keychain, Google Password Manager, Windows Hello or
//! 1Password each have well-known AAGUIDs, so a new passkey can get a readable default name, like
//! "Google Password Manager", instead of an opaque identifier.
//!
//! The mapping comes from the bundled table `aaguids.tsv`, one `<aaguid>\t<name>` line per
//! provider, taken from the community-maintained
//! [passkey-authenticator-aaguids](https://github.com/passkeydeveloper/passkey-authenticator-aaguids)
//! list (MIT License). It is parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The bundled table: a `#` comment line, then `<aaguid>\t<name>` lines.
const TABLE: &str = include_str!("aaguids.tsv");

/// The table parsed, keyed by AAGUID bytes. A malformed line is skipped (a unit test asserts
/// there are none).
static PROVIDERS: LazyLock<HashMap<[u8; 16], &'static str>> =
    LazyLock::new(|| data_lines(TABLE).filter_map(parse_line).collect());

/// The provider name for an authenticator's AAGUID, or `None` when it is not in the table.
#[must_use]
pub fn provider_name(aaguid: &[u8; 16]) -> Option<&'static str> {
    PROVIDERS.get(aaguid).copied()
}

/// `aaguid` in the usual lowercase 8-4-4-4-12 form,
/// e.g. `ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4`.
#[must_use]
pub fn format_aaguid(aaguid: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in aaguid.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// The table's lines other than blank lines and `#` comments.
fn data_lines(table: &str) -> impl Iterator<Item = &str> {
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

/// One `<aaguid>\t<name>` line, or `None` if it is malformed.
fn parse_line(line: &str) -> Option<([u8; 16], &str)> {
    let (aaguid, name) = line.split_once('\t')?;
    let name = name.trim();
    if name.is_empty() || name.contains('\t') {
        return None;
    }
    Some((parse_aaguid(aaguid)?, name))
}

/// Parses the 8-4-4-4-12 hex form (either case); `None` for anything else.
fn parse_aaguid(text: &str) -> Option<[u8; 16]> {
    let text = text.as_bytes();
    if text.len() != 36 {
        return None;
    }
    if [8, 13, 18, 23].iter().any(|&i| text.get(i) != Some(&b'-')) {
        return None;
    }
    let mut digits = text
        .iter()
        .enumerate()
        .filter(|&(i, _)| !matches!(i, 8 | 13 | 18 | 23))
        .map(|(_, &c)| c);
    let mut out = [0u8; 16];
    for byte in &mut out {
        let high = hex_value(digits.next()?)?;
        let low = hex_value(digits.next()?)?;
        *byte = (high << 4) | low;
    }
    Some(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aaguid(text: &str) -> [u8; 16] {
        match parse_aaguid(text) {
            Some(bytes) => bytes,
            None => panic!("not an AAGUID: {text}"),
        }
    }

    #[test]
    fn table_starts_with_its_attribution() {
        let first = TABLE.lines().next().unwrap_or_default();
        assert!(
            first.starts_with('#'),
            "first line is not a comment: {first}"
        );
        assert!(first.contains("passkeydeveloper/passkey-authenticator-aaguids"));
        assert!(first.contains("MIT"));
    }

    #[test]
    fn every_table_line_is_valid() {
        let mut lines = 0;
        for line in data_lines(TABLE) {
            lines += 1;
            let Some((bytes, name)) = parse_line(line) else {
                panic!("malformed line: {line:?}");
            };
            let (text, _) = line.split_once('\t').unwrap_or_default();
            assert_eq!(
                text,
                format_aaguid(&bytes),
                "AAGUID not lowercase 8-4-4-4-12: {line:?}"
            );
            assert!(!name.is_empty());
            assert!(!name.contains(['\t', '\r', '\n']), "bad name: {name:?}");
        }
        // Every line was kept and no AAGUID is listed twice.
        assert_eq!(PROVIDERS.len(), lines);
        // The source list had 49 entries when bundled.
        assert!(lines >= 45, "only {lines} entries");
    }

    #[test]
    fn table_is_sorted_by_aaguid() {
        let keys: Vec<&str> = data_lines(TABLE)
            .filter_map(|line| line.split_once('\t'))
            .map(|(k, _)| k)
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn well_known_providers_resolve() {
        // Upstream has renamed this AAGUID from "iCloud Keychain" to "Apple Passwords".
        assert_eq!(
            provider_name(&aaguid("fbfc3007-154e-4ecc-8c0b-6e020557d7bd")),
            Some("Apple Passwords")
        );
        assert_eq!(
            provider_name(&aaguid("dd4ec289-e01d-41c9-bb89-70fa845d4bf2")),
            Some("iCloud Keychain (Managed)")
        );
        assert_eq!(
            provider_name(&aaguid("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4")),
            Some("Google Password Manager")
        );
        assert_eq!(
            provider_name(&aaguid("08987058-cadc-4b81-b6e1-30de50dcbe96")),
            Some("Windows Hello")
        );
        assert_eq!(
            provider_name(&aaguid("bada5566-a7aa-401f-bd96-45619a55120d")),
            Some("1Password")
        );
        assert_eq!(
            provider_name(&aaguid("d548826e-79b4-db40-a3d8-11116f7e8349")),
            Some("Bitwarden")
        );
    }

    #[test]
    fn unknown_aaguids_give_none() {
        assert_eq!(provider_name(&[0u8; 16]), None);
        assert_eq!(provider_name(&[0xff; 16]), None);
    }

    #[test]
    fn format_round_trips() {
        let text = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
        assert_eq!(format_aaguid(&aaguid(text)), text);
        assert_eq!(
            format_aaguid(&[0u8; 16]),
            "00000000-0000-0000-0000-000000000000"
        );
        let bytes: [u8; 16] = [
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ];
        assert_eq!(parse_aaguid(&format_aaguid(&bytes)), Some(bytes));
        assert_eq!(aaguid("EA9B8D66-4D01-1D21-3CE4-B6B48CB575D4"), aaguid(text));
    }

    #[test]
    fn malformed_aaguids_are_rejected() {
        for text in [
            "",
            "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d",
            "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d44",
            "ea9b8d664d011d213ce4b6b48cb575d4",
            "ea9b8d66x4d01-1d21-3ce4-b6b48cb575d4",
            "ea9b8d66-4d01-1d21-3ce4-b6b48cb575g4",
            "ea9b8d6-64d01-1d21-3ce4-b6b48cb575d4",
            "éa9b8d66-4d01-1d21-3ce4-b6b48cb575d",
        ] {
            assert_eq!(parse_aaguid(text), None, "{text:?}");
        }
        assert_eq!(parse_line("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"), None);
        assert_eq!(parse_line("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4\t "), None);
    }
}
