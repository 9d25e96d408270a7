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
  static func printedPDF(of html: String, to path: String, what: String) throws -> OutputFile {
    let source = try OutputFile(for: path + ".html", named: true)
    try source.write(html)
    try source.sync()
    let pdf = try OutputFile(for: path, named: true)
    try printPDF(html: source.temporaryPath!, pdf: pdf.temporaryPath!, what: what)
    source.discard()
    try pdf.sync()
    return pdf
  }
}
