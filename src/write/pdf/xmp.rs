//! The PDF's XMP metadata packet: title, authors, subject, language and
//! dates as the Info dictionary has them, and the PDF/UA-1 identification
//! (`pdfuaid:part`), which PDF/UA requires in XMP. Written by hand (a few
//! fixed elements, every value escaped) rather than kept from printpdf,
//! whose packet carries random ids.

/// What the packet says.
pub(super) struct Facts<'a> {
    pub title: &'a str,
    pub authors: &'a [&'a str],
    pub subject: &'a str,
    pub lang: &'a str,
    /// `D:YYYYMMDDHHmmSSZ`, as in the Info dictionary.
    pub date: &'a str,
    pub creator_tool: &'a str,
    pub producer: &'a str,
}

/// The packet, UTF-8.
pub(super) fn packet(f: &Facts<'_>) -> Vec<u8> {
    let date = iso_date(f.date);
    let mut s = String::with_capacity(2048);
    s.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    s.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    s.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    s.push_str("  <rdf:Description rdf:about=\"\"\n");
    s.push_str("    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n");
    s.push_str("    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n");
    s.push_str("    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n");
    s.push_str("    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n");
    s.push_str("   <dc:format>application/pdf</dc:format>\n");
    push_alt(&mut s, "dc:title", f.title);
    if !f.authors.is_empty() {
        s.push_str("   <dc:creator><rdf:Seq>");
        for a in f.authors {
            s.push_str("<rdf:li>");
            escape(&mut s, a);
            s.push_str("</rdf:li>");
        }
        s.push_str("</rdf:Seq></dc:creator>\n");
    }
    push_alt(&mut s, "dc:description", f.subject);
    s.push_str("   <dc:language><rdf:Bag><rdf:li>");
    escape(&mut s, f.lang);
    s.push_str("</rdf:li></rdf:Bag></dc:language>\n");
    for (name, value) in [
        ("xmp:CreateDate", date.as_str()),
        ("xmp:ModifyDate", date.as_str()),
        ("xmp:CreatorTool", f.creator_tool),
        ("pdf:Producer", f.producer),
        ("pdfuaid:part", "1"),
    ] {
        s.push_str("   <");
        s.push_str(name);
        s.push('>');
        escape(&mut s, value);
        s.push_str("</");
        s.push_str(name);
        s.push_str(">\n");
    }
    s.push_str("  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    s.into_bytes()
}

/// A language alternative with the default entry only.
fn push_alt(s: &mut String, name: &str, value: &str) {
    s.push_str("   <");
    s.push_str(name);
    s.push_str("><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    escape(s, value);
    s.push_str("</rdf:li></rdf:Alt></");
    s.push_str(name);
    s.push_str(">\n");
}

/// `text` escaped for XML character data and attribute values; characters
/// XML 1.0 forbids (C0 controls other than tab, LF, CR) are left out.
fn escape(s: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\t' | '\n' | '\r' => s.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => s.push(c),
        }
    }
}

/// `D:YYYYMMDDHHmmSSZ` → `YYYY-MM-DDTHH:mm:SSZ` (XMP's date form).
fn iso_date(pdf: &str) -> String {
    let d = pdf.strip_prefix("D:").unwrap_or(pdf);
    if d.len() < 14 || !d.as_bytes()[..14].iter().all(u8::is_ascii_digit) {
        return "1970-01-01T00:00:00Z".to_string();
    }
    format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[8..10], &d[10..12], &d[12..14])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_packet_names_the_book_and_claims_pdf_ua() {
        let facts = Facts {
            title: "书 <一> & \"二\"\u{1}",
            authors: &["张三", "李四"],
            subject: "网站，2篇文章",
            lang: "zh-CN",
            date: "D:20220526000000Z",
            creator_tool: "folio 0.1.0",
            producer: "folio 0.1.0 (printpdf, lopdf)",
        };
        let xmp = String::from_utf8(packet(&facts)).unwrap();
        let start = xmp.find("<x:xmpmeta").unwrap();
        let end = xmp.find("<?xpacket end").unwrap();
        roxmltree::Document::parse(&xmp[start..end]).expect("well-formed");
        assert!(xmp.contains("<rdf:li xml:lang=\"x-default\">书 &lt;一&gt; &amp; &quot;二&quot;</rdf:li>"), "{xmp}");
        assert!(xmp.contains("<rdf:Seq><rdf:li>张三</rdf:li><rdf:li>李四</rdf:li></rdf:Seq>"));
        assert!(xmp.contains("<xmp:CreateDate>2022-05-26T00:00:00Z</xmp:CreateDate>"));
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert_eq!(iso_date("D:19700101000000Z"), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date("bad"), "1970-01-01T00:00:00Z");
    }
}
