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
}
