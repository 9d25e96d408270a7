import Foundation

/// UTC timestamps as the register stores them: `2026-11-22T09:14:03.250Z`.
public enum Timestamp {
  public static func iso(_ date: Date) -> String {
    let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    var days = ms / 86_400_000
    var rest = ms % 86_400_000
    if rest < 0 {
      rest += 86_400_000
      days -= 1
    }
    let d = LocalDate(daysSinceEpoch: Int(days))
    let h = rest / 3_600_000
    let m = rest / 60_000 % 60
    let s = rest / 1000 % 60
    let f = rest % 1000
    func pad(_ v: Int64, _ n: Int) -> String {
      let t = String(v)
      return String(repeating: "0", count: max(0, n - t.count)) + t
    }
    return "\(d)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
  }

  /// The time a stored timestamp names, or nil if it is not one.
  public static func date(_ text: String) -> Date? {
    let u = Array(text.utf8)
    guard u.count == 24, u[10] == UInt8(ascii: "T"), u[23] == UInt8(ascii: "Z"),
      let day = LocalDate(iso: String(text.prefix(10)))
    else { return nil }
    func number(_ from: Int, _ count: Int) -> Int? { Int(String(decoding: u[from..<from + count], as: UTF8.self)) }
    guard let h = number(11, 2), let m = number(14, 2), let s = number(17, 2), let f = number(20, 3) else {
      return nil
    }
    let ms = (Int64(day.daysSinceEpoch) * 86_400 + Int64(h * 3600 + m * 60 + s)) * 1000 + Int64(f)
    return Date(timeIntervalSince1970: Double(ms) / 1000)
  }
}
