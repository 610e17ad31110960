//! What a data file's bytes are, before they are read as text: UTF-8 damaged in places,
//! a legacy Vietnamese encoding that would read as nonsense, or no text at all (a
//! workbook under a `.csv` name, UTF-16 without its byte-order mark, binary data).
//! Each is refused with what to do, rather than read as something it is not.

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::source::SourceFile;
use crate::tr;

/// How much of the start of a file is looked at to tell binary data from text.
pub(crate) const SAMPLE: usize = 64 * 1024;

/// The most lines with damaged UTF-8 shown one by one; the rest are counted.
const SHOWN_PLACES: usize = 20;

/// How Excel names the file type every message asks for.
pub(crate) const SAVE_AS: &str = "save the sheet from Excel as \"CSV UTF-8 (Comma delimited)\"";

/// [`SAVE_AS`] in Vietnamese: an imperative without "hãy", so that a sentence can put it
/// after "rồi" or "hãy" as well as start with it. Excel names the type in English in
/// either language's menus, so the name stays as it is.
pub(crate) const SAVE_AS_VI: &str =
    "lưu trang tính từ Excel dưới dạng \"CSV UTF-8 (Comma delimited)\"";

/// Refuses bytes that are not a table of text: a NUL byte, or control characters no
/// text file holds, in the first 64 KiB. Says what the bytes look like instead.
pub(crate) fn refuse_binary(path: &str, bytes: &[u8]) -> Result<(), Box<Diagnostic>> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let Some(first) = binary_at(sample) else {
        return Ok(());
    };
    let (what, help) = if bytes.starts_with(b"PK\x03\x04") {
        (
            tr!(
                "an Excel workbook (.xlsx) or another zip file",
                "một tệp Excel (.xlsx) hoặc một tệp zip khác"
            ),
            tr!(
                "give it back its .xlsx name: parindex reads a workbook by its name",
                "hãy đổi lại đuôi tên tệp thành .xlsx: parindex nhận ra tệp Excel qua tên tệp"
            ),
        )
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        (
            tr!("an old Excel workbook (.xls)", "một tệp Excel kiểu cũ (.xls)"),
            tr!(
                "give it back its .xls name, or save it from Excel as .xlsx",
                "hãy đổi lại đuôi tên tệp thành .xls, hoặc mở bằng Excel và lưu thành .xlsx"
            ),
        )
    } else if utf16_without_bom(sample) {
        (
            tr!(
                "UTF-16 text without the byte-order mark that says so",
                "văn bản UTF-16 nhưng thiếu dấu BOM (byte-order mark) cho biết điều đó"
            ),
            tr!(
                "{SAVE_AS}, or as \"Unicode Text\" (which writes the mark)",
                "hãy {SAVE_AS_VI}, hoặc dưới dạng \"Unicode Text\" (dạng này có ghi dấu BOM)"
            ),
        )
    } else {
        (
            tr!("binary data", "dữ liệu nhị phân"),
            tr!(
                "{SAVE_AS}, or give parindex the workbook (.xlsx) itself",
                "hãy {SAVE_AS_VI}, hoặc đưa thẳng tệp Excel (.xlsx) cho parindex"
            ),
        )
    };
    let (place, byte) = (first + 1, sample[first]);
    let (what_en, what_vi) = (&what.en, &what.vi);
    Err(Box::new(
        Diagnostic::error(
            "not-text",
            tr!(
                "{path} is not a table of text: it holds {what_en} (byte {place} is 0x{byte:02X})",
                "tệp {path} không phải bảng dữ liệu dạng văn bản: tệp chứa {what_vi} (byte thứ {place} là 0x{byte:02X})"
            ),
        )
        .help(help),
    ))
}

/// Where the first 64 KiB of a file (or as much of `bytes` as is given) show it is no
/// text: the first NUL byte, or the first of many control characters. The quick reader
/// asks this too, so that it never takes what [`refuse_binary`] refuses.
pub(crate) fn binary_at(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let odd = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a);
    let controls = sample.iter().filter(|&&b| odd(b)).count();
    sample.iter().position(|&b| b == 0).or_else(|| {
        // A stray control character pasted into a cell is text all the same.
        (controls >= 8 && controls * 32 > sample.len())
            .then(|| sample.iter().position(|&b| odd(b)))
            .flatten()
    })
}

/// Whether most NUL bytes fall on one side of each pair of bytes, as in UTF-16 text
/// of Latin letters.
fn utf16_without_bom(sample: &[u8]) -> bool {
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let pairs = sample.len() / 2;
    pairs > 0 && even.max(odd) * 3 > pairs && even.min(odd) * 10 < even.max(odd)
}

/// Whether bytes that are not valid UTF-8 are UTF-8 all the same, damaged in places
/// (cut short, or a byte of another encoding pasted in): some of their non-ASCII
/// characters read as UTF-8, at least one for every two places that cannot. Windows-1258
/// text almost never holds a valid UTF-8 sequence at all.
pub(crate) fn damaged_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good > 0 && good * 2 >= bad
}

/// The places of damaged UTF-8, found as the replacement characters (�) that decoding
/// left in `source`, one message per line; `cut_short` when the damage is at the very end
/// of the file.
pub(crate) fn damage(source: &SourceFile, cut_short: bool) -> Vec<Diagnostic> {
    let path = &source.path;
    let mut lines: Vec<(usize, Vec<usize>)> = Vec::new();
    for (at, _) in source.text.match_indices('\u{fffd}') {
        let line = source.line_col(at).0;
        match lines.last_mut() {
            Some((l, places)) if *l == line => places.push(at),
            _ => lines.push((line, vec![at])),
        }
    }
    let width = '\u{fffd}'.len_utf8();
    let mut out = Vec::new();
    for (n, (line, places)) in lines.iter().take(SHOWN_PLACES).enumerate() {
        let column = source.line_col(places[0]).1;
        let message = match places.len() {
            1 => tr!(
                "{path}, line {line}, column {column}: a byte here is not UTF-8, though the rest of the file is",
                "dòng {line}, cột {column} của {path}: có một byte ở đây không phải UTF-8, dù phần còn lại của tệp là UTF-8"
            ),
            k => tr!(
                "{path}, line {line}: {k} bytes from column {column} on are not UTF-8, though the rest of the file is",
                "dòng {line} của {path}: {k} byte từ cột {column} trở đi không phải UTF-8, dù phần còn lại của tệp là UTF-8"
            ),
        };
        let mut d = Diagnostic::error("not-utf8", message).at(
            places[0]..places[0] + width,
            tr!("not UTF-8 (shown as �)", "không phải UTF-8 (hiện thành �)"),
        );
        for &at in &places[1..] {
            d = d.with_context(at..at + width, Text::default());
        }
        if n == 0 {
            d = d.help(if cut_short && lines.len() == 1 && places.len() == 1 {
                tr!(
                    "the file ends in the middle of a character: it may have been cut short; {SAVE_AS} again",
                    "tệp kết thúc giữa chừng một ký tự: có thể tệp đã bị cắt mất phần cuối; hãy {SAVE_AS_VI} một lần nữa"
                )
            } else {
                tr!(
                    "the file is damaged, or text in another encoding was pasted into it: correct the text shown, then {SAVE_AS}",
                    "tệp bị hỏng, hoặc có đoạn văn bản ở bảng mã khác được dán vào: hãy sửa đoạn văn bản được chỉ ra, rồi {SAVE_AS_VI}"
                )
            });
        }
        out.push(d);
    }
    if lines.len() > SHOWN_PLACES {
        let more = lines.len() - SHOWN_PLACES;
        out.push(Diagnostic::error(
            "not-utf8",
            tr!(
                "{path}: {more} more lines hold bytes that are not UTF-8",
                "{path}: còn {more} dòng khác có byte không phải UTF-8"
            ),
        ));
    }
    out
}

/// Whether the damage in `bytes` is at their very end: a character cut in two.
pub(crate) fn cut_short(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().last().is_some_and(|c| !c.invalid().is_empty())
}

/// Refuses single-byte text that reads as Windows-1258 only as nonsense because it is
/// TCVN3 (ABC), the font-based encoding of older Vietnamese documents: its letters
/// ă â ê ô ơ ư đ á à ả ã ạ … are the bytes 0xA1–0xBF, which Windows-1258 keeps for
/// punctuation and symbols (¡ ¢ £ … ¿) that Vietnamese text seldom holds.
pub(crate) fn refuse_tcvn3(path: &str, bytes: &[u8]) -> Result<(), Box<Diagnostic>> {
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let symbols = bytes.iter().filter(|&&b| (0xA1..=0xBF).contains(&b)).count();
    if symbols < 3 || symbols * 3 < high {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::error(
            "not-utf8",
            tr!(
                "{path} is not UTF-8, and read as Windows-1258 it is nonsense: it looks like TCVN3 (ABC), which parindex does not read",
                "tệp {path} không phải UTF-8, và nếu đọc theo Windows-1258 thì chữ bị sai hết: có vẻ tệp dùng bảng mã TCVN3 (ABC), là bảng mã parindex không đọc được"
            ),
        )
        .help(tr!(
            "convert the text to Unicode (e.g. with Unikey's converter, from TCVN3 to Unicode), then {SAVE_AS}",
            "hãy chuyển văn bản sang Unicode (chẳng hạn bằng công cụ chuyển mã của Unikey, từ TCVN3 sang Unicode), rồi {SAVE_AS_VI}"
        )),
    ))
}

/// Refuses single-byte text that is VNI (VNI Windows), the other legacy encoding of
/// older Vietnamese documents: it writes an accented vowel as its plain letter followed
/// by a mark byte, and the marks of most tones and of ậ ẩ ặ ẵ are bytes that Windows-1258
/// reads as letters no Vietnamese word has after a vowel (ø û ï ä å ü ë, and ù), nor
/// after VNI's ơ and ư (Windows-1258's ô and ö): "Sở Nội vụ" would read "Sôû Noäi vuï".
/// Windows-1258 itself puts its tone marks (0xCC 0xEC 0xD2 0xDE 0xF2) there instead.
pub(crate) fn refuse_vni(path: &str, bytes: &[u8]) -> Result<(), Box<Diagnostic>> {
    const MARKS: &[u8] = &[0xF8, 0xFB, 0xEF, 0xE4, 0xE5, 0xFC, 0xEB, 0xF9];
    // A plain vowel, or VNI's own ơ and ư (Windows-1258's ô and ö).
    let vowel = |b: u8| b"aeiouyAEIOUY\xF4\xF6\xD4\xD6".contains(&b);
    let mark = |b: u8| MARKS.contains(&(b | 0x20));
    let high = bytes.iter().filter(|&&b| b >= 0x80).count();
    let marked = bytes.windows(2).filter(|w| vowel(w[0]) && mark(w[1])).count();
    if marked < 3 || marked * 5 < high {
        return Ok(());
    }
    Err(Box::new(
        Diagnostic::error(
            "not-utf8",
            tr!(
                "{path} is not UTF-8, and read as Windows-1258 it is nonsense: it looks like VNI (VNI Windows), which parindex does not read",
                "tệp {path} không phải UTF-8, và nếu đọc theo Windows-1258 thì chữ bị sai hết: có vẻ tệp dùng bảng mã VNI (VNI Windows), là bảng mã parindex không đọc được"
            ),
        )
        .help(tr!(
            "convert the text to Unicode (e.g. with Unikey's converter, from VNI Windows to Unicode), then {SAVE_AS}",
            "hãy chuyển văn bản sang Unicode (chẳng hạn bằng công cụ chuyển mã của Unikey, từ VNI Windows sang Unicode), rồi {SAVE_AS_VI}"
        )),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_data_is_told_from_text() {
        assert!(refuse_binary("t.csv", "agency;code\r\nso;1\x0b2\n".as_bytes()).is_ok());
        let zip = refuse_binary("t.csv", b"PK\x03\x04\x14\x00\x06\x00").unwrap_err();
        assert!(zip.message.en.contains("Excel workbook (.xlsx)"), "{}", zip.message.en);
        let utf16: Vec<u8> =
            "agency,code,value\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = refuse_binary("t.csv", &utf16).unwrap_err();
        assert!(d.message.en.contains("UTF-16"), "{}", d.message.en);
        assert!(d.message.en.contains("byte 2 is 0x00"), "{}", d.message.en);
        let noise: Vec<u8> = (0..4096u32).map(|i| u8::try_from(i * 7919 % 251).unwrap()).collect();
        assert!(refuse_binary("t.csv", &noise).unwrap_err().message.en.contains("binary data"));
    }

    #[test]
    fn damaged_utf8_is_told_from_windows_1258() {
        let good = "so-noi-vu,Sở Nội vụ,có\n".as_bytes();
        let mut cut = good.to_vec();
        // Cut in the middle of the "ó".
        cut.truncate(good.len() - 2);
        assert!(damaged_utf8(&cut) && cut_short(&cut));
        // "Sở Nội vụ" in Windows-1258: no UTF-8 sequence in it.
        assert!(!damaged_utf8(b"so,S\xF5\xD2 N\xF4\xF2i v\xF9\xF2\n"));
        // A Windows-1258 "ó" typed into a UTF-8 file.
        let mut typed = "có,Văn bản\nc".as_bytes().to_vec();
        typed.push(0xF3);
        assert!(damaged_utf8(&typed) && !cut_short(b"ok\xF3 ok"));
    }

    #[test]
    fn each_damaged_place_is_named() {
        let text = String::from_utf8_lossy(b"a,b\nc\xE1,d\xFF\ne\xE1\n").into_owned();
        let found = damage(&SourceFile::new("t.csv", text), false);
        assert_eq!(found.len(), 2);
        assert!(
            found[0].message.en.contains("line 2: 2 bytes from column 2"),
            "{}",
            found[0].message.en
        );
        assert_eq!(found[0].context.len(), 1);
        assert!(found[1].message.en.contains("line 3, column 2"), "{}", found[1].message.en);
    }

    #[test]
    fn tcvn3_is_refused_and_windows_1258_read() {
        // "Sở Tư pháp, Đà Nẵng" with TCVN3's ư (0xAD), á (0xB8), à (0xB5), ẵ (0xBD).
        assert!(refuse_tcvn3("t.csv", b"so,S\xEB T\xAD ph\xB8p, \xA7\xB5 N\xBDng\n").is_err());
        assert!(refuse_tcvn3("t.csv", b"so,S\xF5\xD2 N\xF4\xF2i v\xF9\xF2\n").is_ok());
    }

    #[test]
    fn vni_is_refused_and_windows_1258_read() {
        // "Sở Nội vụ, Sở Tư pháp" in VNI: Sôû Noäi vuï, Sôû Tö phaùp.
        let vni = b"so,S\xF4\xFB No\xE4i vu\xEF, S\xF4\xFB T\xF6 pha\xF9p\n";
        assert!(refuse_vni("t.csv", vni).unwrap_err().message.en.contains("VNI"));
        // The same in Windows-1258, with its own tone marks, and a file of names in which
        // a stray "ü" or two stand after a vowel.
        let cp1258 = b"so,S\xF5\xD2 N\xF4\xF2i v\xF9\xF2, S\xF5\xD2 T\xFD pha\xECp\n";
        assert!(refuse_vni("t.csv", cp1258).is_ok());
        assert!(
            refuse_vni("t.csv", b"Mu\xFCller, Ka\xEFs, \xE1\xE0\xE2\xE3\xE9\xE8\xEA\n").is_ok()
        );
    }
}
