import Foundation

/// Makes a PDF printed by Chromium the same bytes for the same page: its
/// creation and modification dates (the only parts that change from run to
/// run) are set to a given day, keeping every byte offset.
public enum PrintedPDF {
  public static func fixingDates(_ pdf: [UInt8], to day: LocalDate) -> [UInt8] {
    var out = pdf
    let stamp = Array(
      String(format: "D:%04d%02d%02d000000+00'00'", day.year, day.month, day.day).utf8)
    for key in ["/CreationDate (", "/ModDate ("] {
      let k = Array(key.utf8)
      var i = 0
      while i + k.count <= out.count {
        guard out[i..<(i + k.count)].elementsEqual(k) else {
          i += 1
          continue
        }
        let start = i + k.count
        guard let end = out[start...].firstIndex(of: UInt8(ascii: ")")) else { break }
        // The same length, so the cross-reference table's offsets still hold.
        for j in start..<end { out[j] = j - start < stamp.count ? stamp[j - start] : UInt8(ascii: " ") }
        i = end
      }
    }
    return out
  }
}
