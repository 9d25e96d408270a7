import CMEDomain
import Foundation

/// Prints an HTML file to PDF with a headless Chromium (the board pack, a
/// letter), or says why it cannot.
func printPDF(html: String, pdf: String, what: String) throws {
  let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
  guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
    throw InvalidInput(
      field: "--format", problem: "pdf needs a headless Chromium, and none is installed",
      fix: "Install it (apt-get install chromium), or use --format html and print from a browser")
  }
  let p = Process()
  p.executableURL = URL(fileURLWithPath: chromium)
  let abs = URL(fileURLWithPath: html).standardizedFileURL.path
  p.arguments = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(pdf)",
    "file://\(abs)",
  ]
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  try p.run()
  p.waitUntilExit()
  guard p.terminationStatus == 0 else {
    throw InvalidInput(
      field: "--format", problem: "Chromium could not print \(what) (exit \(p.terminationStatus))",
      fix: "Use --format html and print from a browser")
  }
}

extension OutputFile {
  /// `text` written in full to a new file for `path`, synced, not yet put in place.
  static func written(_ text: String, to path: String) throws -> OutputFile {
    let f = try OutputFile(for: path)
    try f.write(text)
    try f.sync()
    return f
  }

  /// The HTML `html` printed to a PDF for `path` (through a hidden HTML file
  /// beside it, removed after), synced, not yet put in place.
  ///
  /// With `dated`, the PDF's creation and modification dates are that day, so
  /// the same page gives the same bytes.
  static func printedPDF(of html: String, to path: String, what: String, dated: LocalDate? = nil) throws -> OutputFile {
    let source = try OutputFile(for: path + ".html", named: true)
    try source.write(html)
    try source.sync()
    let pdf = try OutputFile(for: path, named: true)
    try printPDF(html: source.temporaryPath!, pdf: pdf.temporaryPath!, what: what)
    source.discard()
    if let dated, let printed = FileManager.default.contents(atPath: pdf.temporaryPath!) {
      // The same length: written over the file in place, keeping its mode.
      let fixed = PrintedPDF.fixingDates(Array(printed), to: dated)
      if let handle = FileHandle(forUpdatingAtPath: pdf.temporaryPath!) {
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: fixed)
        try handle.close()
      }
    }
    try pdf.sync()
    return pdf
  }
}
