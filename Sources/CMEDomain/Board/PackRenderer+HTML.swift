import Foundation

extension PackRenderer {
  /// A self-contained HTML page: inline CSS and SVG, no scripts, no network;
  /// prints on A4 with the marking and page numbers on every page.
  public static func html(_ p: BoardPack, digest: String, part: BoardPack.Part = .both) -> String {
    var h = ""
    func w(_ s: String) { h += s + "\n" }
    let markingA = p.marking(part == .both ? .a : part)
    w("<!DOCTYPE html>")
    w("<html lang=\"en-GB\"><head><meta charset=\"utf-8\">")
    w(
      "<title>\(esc(p.marking(part).components(separatedBy: " — ")[0])) — CME scrutiny board pack — \(esc(p.authority)) — \(p.meeting.date)</title>"
    )
    w("<style>\(css)\(pageCSS(p, part: part))</style></head><body>")
    w("<header><p class=\"marking\">\(esc(markingA))</p>")
    w("<p class=\"kicker\">\(esc(p.authority)) · Children missing education</p>")
    w("<h1>Scrutiny board pack</h1>")
    w(
      "<p class=\"meta\">Meeting \(p.meeting.id) · <strong>\(longDate(p.meeting.date))</strong> · Chair: \(esc(p.meeting.chair))\(p.meeting.attendees.isEmpty ? "" : " · Attending: " + esc(p.meeting.attendees.joined(separator: ", ")))</p>"
    )
    if p.identifiable {
      w(
        "<p class=\"banner danger\">IDENTIFIABLE — contains names, dates of birth and addresses of children. Special-category personal data: do not copy or forward.</p>"
      )
    }
    w("<p class=\"small\"><strong>Small numbers.</strong> \(esc(p.policy.statement))</p>")
    w("<nav aria-label=\"Contents\"><h2 class=\"toc\">Contents</h2><ol>")
    if part.hasA {
      w(
        "<li><a href=\"#summary\">Summary</a></li><li><a href=\"#headline\">Headline and trend</a></li><li><a href=\"#measures\">Measures and direction of travel</a></li><li><a href=\"#register\">The register</a></li><li><a href=\"#equality\">Equality</a></li>"
      )
    }
    if part.hasB {
      w(
        "<li><a href=\"#agenda\">Part B: decision agenda</a></li><li><a href=\"#decisions\">Part B: previous decisions</a></li>"
      )
    }
    w("</ol></nav></header>")

    if part.hasA {
      w("<main>")
      w("<section id=\"summary\"><h2>Summary</h2>")
      for s in p.summary { w("<p class=\"lead\">\(esc(s))</p>") }
      let exceptions = p.exceptions
      if !exceptions.isEmpty {
        w(
          "<div class=\"callout\"><strong>For the board's attention</strong><ul>"
            + exceptions.map { "<li>\(esc($0))</li>" }.joined() + "</ul></div>")
      }
      w("</section>")

      w("<section id=\"headline\"><h2>Headline and trend</h2><div class=\"tiles\">")
      for f in p.headline { w(tile(f.label, f.value, f.note)) }
      w("</div>")
      w(
        "<figure>\(trendChart(p))<figcaption>Open cases at each month end over the last 12 months (solid) and the same months a year earlier (dashed). A hidden count is a gap in its line.</figcaption></figure></section>"
      )

      w("<section id=\"measures\"><h2>Measures and direction of travel</h2>")
      w("<table><thead><tr><th>Measure</th><th class=\"n\">Value</th><th>What it is</th></tr></thead><tbody>")
      for m in p.measures {
        w("<tr><td>\(esc(m.label))</td><td class=\"n\">\(esc(m.value))</td><td class=\"note\">\(esc(m.note))</td></tr>")
      }
      w("</tbody></table>")
      if !p.previousPackFound {
        w("<p class=\"note\">No pack was built for a previous meeting, so there is nothing to compare with.</p>")
      }
      w(
        "<table><thead><tr><th>Measure</th><th class=\"n\">Now</th><th class=\"n\">Last meeting</th><th>Change</th><th>Target</th></tr></thead><tbody>"
      )
      for d in p.directions {
        let target =
          d.target.map { t in "≤ \(t)" + (d.targetMet.map { $0 ? " — met" : " — missed" } ?? "") } ?? "none set"
        w(
          "<tr\(d.targetMet == false ? " class=\"over\"" : "")><td>\(esc(d.measure))</td><td class=\"n\">\(esc(d.now))</td><td class=\"n\">\(esc(d.lastMeeting))</td><td>\(esc(d.change))</td><td>\(esc(target))</td></tr>"
        )
      }
      w(
        "</tbody></table><p class=\"note\">Lower is better for every measure here. Targets are set by a manager in the register's settings (board.target.red and the like).</p></section>"
      )

      w("<section id=\"register\"><h2>The register</h2><div class=\"cards\">")
      for b in p.breakdowns where b.table.columns.count == 1 {
        w("<div class=\"card\"><h3>\(esc(b.title))</h3>")
        if let note = b.note { w("<p class=\"note\">\(esc(note))</p>") }
        w(
          b.chart
            ? "<div class=\"pair\"><div>\(barChart(b, policy: p.policy))</div><div>\(table(b))</div></div>" : table(b))
        w("</div>")
      }
      w("</div>")
      for b in p.breakdowns where b.table.columns.count > 1 {
        w("<div class=\"card wide\"><h3>\(esc(b.title))</h3>")
        if let note = b.note { w("<p class=\"note\">\(esc(note))</p>") }
        w(table(b))
        w("</div>")
      }
      w("<p class=\"line\">\(esc(p.cycleLine))</p></section>")

      w("<section id=\"equality\"><h2>Equality</h2>")
      if p.baselineMissing {
        w(
          "<p class=\"banner\">No school-age population baseline is loaded, so shares of the population and ratios cannot be shown. A manager loads the census counts of the area's children.</p>"
        )
      } else {
        w(
          "<p class=\"note\">The children on the register set against the authority's school-age population. Ratio = share of the register ÷ share of the population (1 = in proportion), with a 95% confidence interval (Katz). Called out: at least \(fmt(p.equalityThreshold))× with the whole interval above 1, strongest evidence first; also named: any group whose whole interval is above 1.</p>"
        )
        w(
          "<figure class=\"ratios\">\(ratioChart(p))<figcaption>Each group's ratio (marker) and 95% confidence interval (line) on a log scale, grouped by characteristic; groups with hidden counts and gaps in the record are not drawn.</figcaption></figure>"
        )
        let callouts = p.callouts
        let above = p.alsoAboveOne
        if !callouts.isEmpty || !above.isEmpty {
          w(
            "<div class=\"callout\">"
              + (callouts.isEmpty
                ? ""
                : "<strong>Over-represented</strong><ul>" + callouts.map { "<li>\(esc($0))</li>" }.joined() + "</ul>")
              + (above.isEmpty
                ? ""
                : "<strong>Also above 1, under the threshold</strong><ul>"
                  + above.map { "<li>\(esc($0))</li>" }.joined()
                  + "</ul>") + "</div>")
        }
      }
      w(
        "<table><thead><tr><th>Group</th><th class=\"n\">On the register</th><th class=\"n\">Share of register</th><th class=\"n\">Share of population</th><th class=\"n\">Ratio</th><th class=\"n\">95% CI</th></tr></thead><tbody>"
      )
      for e in p.equality {
        let v = p.published(e)
        let mark = p.isCalledOut(e) ? " class=\"over\"" : e.dataQuality ? " class=\"dq\"" : ""
        w(
          "<tr\(mark)><td>\(esc(e.characteristic)): \(esc(e.d.group))</td><td class=\"n\">\(esc(v.count))</td><td class=\"n\">\(v.registerShare)</td><td class=\"n\">\(v.populationShare)</td><td class=\"n\">\(v.ratio)</td><td class=\"n\">\(v.interval)</td></tr>"
        )
      }
      w("</tbody></table>")
      if let note = p.dataQualityNote { w("<p class=\"note\">\(esc(note))</p>") }
      w("</section>")
      w(
        "<footer><p><strong>Provenance.</strong> Built from the register as of audit entry \(p.logSequence) (head hash <code>\(p.logHash)</code>), for the meeting date \(p.meeting.date). Data digest (SHA-256): <code>\(digest)</code>. The same register state gives a byte-identical pack; verifying the audit log checks it.</p></footer>"
      )
      w("</main>")
    }

    if part.hasB {
      w("<section class=\"partb\" id=\"agenda\">")
      w("<p class=\"marking b\">\(esc(p.marking(.b)))</p>")
      w("<h2>Part B: decision agenda</h2>")
      w(
        "<p class=\"note\">\(p.agenda.count) of the \(esc(p.text(p.qualifying))) cases meeting the agenda rules, highest risk first (safeguarding markers, whereabouts unknown, not seen, overdue escalations to the police or social care, time open). Cases by reference only; decisions' notes are not printed unless a manager marked them safe. The full list of qualifying cases is the meeting's agenda, available to managers as CSV.</p>"
      )
      w(
        "<table class=\"agenda\"><thead><tr><th>#</th><th>Case</th><th>Why it is here</th><th>Decision sought</th><th>Previous decision</th>\(p.identifiable ? "<th>Child</th>" : "")</tr></thead><tbody>"
      )
      for (i, a) in p.agenda.enumerated() {
        w(
          "<tr><td class=\"n\">\(i + 1)</td><td><span class=\"rag \(a.rag?.rawValue ?? "none")\">\(a.rag?.rawValue.uppercased() ?? "—")</span> \(esc(a.reference))</td><td>\(esc(a.why.joined(separator: "; ")))</td><td>\(esc(a.decisionSought))</td><td>\(esc(a.previousDecision))</td>\(p.identifiable ? "<td class=\"identity\">\(esc(a.identity ?? ""))</td>" : "")</tr>"
        )
      }
      w("</tbody></table></section>")
      w("<section class=\"partb-next\" id=\"decisions\"><h2>Part B: previous decisions</h2>")
      if p.previousDecisions.isEmpty {
        w("<p>No decisions from the previous meeting.</p>")
      } else {
        w(
          "<table><thead><tr><th>Case</th><th>Decision</th><th>Due</th><th>Carried out?</th><th>Note</th></tr></thead><tbody>"
        )
        for d in p.previousDecisions {
          w(
            "<tr\(d.carriedOut.hasPrefix("NOT") ? " class=\"over\"" : "")><td>\(esc(d.reference))</td><td>\(esc(d.decision))</td><td>\(d.due?.description ?? "–")</td><td>\(esc(d.carriedOut))</td><td>\(esc(d.note ?? "not printed"))</td></tr>"
          )
        }
        w("</tbody></table>")
      }
      w("</section>")
    }
    w("</body></html>")
    return h
  }

  /// The running heads and feet of printed pages: the marking at the top,
  /// the pack and page numbers at the bottom; Part B's pages carry its exemption.
  static func pageCSS(_ p: BoardPack, part: BoardPack.Part) -> String {
    let foot = cssString("\(p.authority) · CME scrutiny board pack · meeting \(p.meeting.id), \(p.meeting.date)")
    let markA = cssString(p.marking(part == .both ? .a : part))
    let markB = cssString(p.marking(.b))
    return """
      @page{size:A4;margin:17mm 13mm 15mm;@top-center{content:\(markA);font:bold 8pt sans-serif;color:#000}@bottom-left{content:\(foot);font:7pt sans-serif;color:#333}@bottom-right{content:"Page " counter(page) " of " counter(pages);font:8pt sans-serif}}
      @page partb{@top-center{content:\(markB);font:bold 7pt sans-serif;color:#000}}
      .partb,.partb-next{page:partb}
      """
  }

  /// A CSS string literal: quotes, backslashes and anything that could end the style element escaped.
  static func cssString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"", "\\", "<", ">", "&": out += "\\" + String(u.value, radix: 16) + " "
      case _ where u.value < 0x20 || u.value == 0x7F: out += " "
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  static let css = """
    *{box-sizing:border-box}
    body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d2733;margin:0 auto;max-width:1060px;padding:24px;line-height:1.4;font-size:14px}
    header{border-bottom:4px solid #1d4e89;margin-bottom:14px}
    .marking{font-weight:bold;text-transform:uppercase;letter-spacing:.04em;border:2px solid #000;padding:4px 8px;margin:0 0 8px;font-size:12px}
    .marking.b{background:#fff;border-style:double;border-width:4px}
    .kicker{text-transform:uppercase;letter-spacing:.08em;color:#1d4e89;font-weight:bold;margin:0}
    h1{font-size:28px;margin:4px 0}
    h2{font-size:19px;color:#1d4e89;border-bottom:1px solid #c9d3df;padding-bottom:3px;margin-top:22px}
    h2.toc{font-size:14px;border:0;margin:8px 0 0}
    nav ol{columns:2;margin:4px 0 10px;font-size:13px}
    h3{font-size:14px;margin:0 0 6px}
    .meta{color:#4a5868;margin:4px 0}
    .small{font-size:12px;color:#333;background:#f4f7fa;padding:6px 10px;border-left:4px solid #1d4e89}
    .banner{background:#eef3f8;border-left:6px solid #1d4e89;padding:8px 12px}
    .banner.danger{background:#fde8e8;border-color:#b10e1e;font-weight:bold}
    .lead{font-size:15px;margin:6px 0}
    .tiles{display:grid;grid-template-columns:repeat(5,1fr);gap:10px;break-inside:avoid}
    .tile{background:#f4f7fa;border-radius:6px;padding:10px}
    .tile .v{font-size:26px;font-weight:bold;color:#1d4e89}
    .tile .l{font-weight:bold;font-size:13px}
    .tile .s{color:#5a6878;font-size:11px}
    .card{border:1px solid #d5dde6;border-radius:6px;padding:10px;margin-bottom:12px}
    svg{break-inside:avoid}
    .pair{display:grid;grid-template-columns:3fr 2fr;gap:12px;align-items:start}
    table{border-collapse:collapse;width:100%;margin:6px 0;font-size:12.5px}
    th,td{border-bottom:1px solid #e1e7ee;padding:3px 6px;text-align:left;vertical-align:top}
    th{background:#f4f7fa}
    tr{break-inside:avoid}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    tr.total td{font-weight:bold;border-top:2px solid #9aa8b8}
    tr.over td{background:#fff1e0;font-weight:bold}
    tr.dq td{color:#5a6878;font-style:italic}
    .note{color:#4a5868;font-size:12px}
    .line{font-weight:bold}
    .callout{background:#fff4e5;border-left:6px solid #d55e00;padding:6px 12px;margin:10px 0}
    .callout ul{margin:4px 0}
    figure{margin:8px 0;break-inside:avoid}
    figure.ratios{break-inside:auto}
    svg.ratio{break-inside:avoid;display:block}
    figcaption{font-size:11.5px;color:#4a5868}
    svg text{font-family:"DejaVu Sans",Arial,sans-serif}
    .rag{display:inline-block;font-size:10px;padding:1px 5px;border-radius:3px;background:#5a6878;color:#fff;margin-right:4px;font-weight:bold}
    .rag.red{background:#a50f15}.rag.amber{background:#8a4b00}.rag.green{background:#1b5e20}
    table.agenda td{font-size:12px}
    .identity{font-weight:bold;color:#b10e1e}
    footer{margin-top:20px;border-top:1px solid #c9d3df;font-size:11px;color:#4a5868}
    code{font-size:11px;word-break:break-all}
    @media print{body{padding:0;max-width:none;font-size:10.5px}.partb{break-before:page}h2,h3{break-after:avoid}.tiles{grid-template-columns:repeat(5,1fr)}a{color:inherit;text-decoration:none}}
    """

  /// Text escaped for HTML (``Swift/String/htmlEscaped``).
  public static func esc(_ s: String) -> String {
    s.htmlEscaped
  }

  static func longDate(_ d: LocalDate) -> String {
    let months = [
      "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
      "December",
    ]
    return "\(d.day) \(months[d.month - 1]) \(d.year)"
  }

  static func tile(_ label: String, _ value: String, _ sub: String) -> String {
    "<div class=\"tile\"><div class=\"l\">\(esc(label))</div><div class=\"v\">\(esc(value))</div><div class=\"s\">\(esc(sub))</div></div>"
  }

  static func table(_ b: BoardPack.Breakdown) -> String {
    let t = b.table
    var h = "<table><thead><tr><th></th>"
    let multi = t.columns.count > 1
    h +=
      (multi ? t.columns + ["total"] : ["count"]).map { "<th class=\"n\">\(esc($0))</th>" }.joined()
      + "</tr></thead><tbody>"
    for r in 0...t.rows.count where r < t.rows.count || b.showTotal {
      let name = r == t.rows.count ? "Total" : t.rows[r]
      h += "<tr\(r == t.rows.count ? " class=\"total\"" : "")><td>\(esc(name))</td>"
      let cols = multi ? Array(0...t.columns.count) : [0]
      h += cols.map { "<td class=\"n\">\(esc(t.text(row: r, column: $0)))</td>" }.joined() + "</tr>"
    }
    return h + "</tbody></table>"
  }
}
