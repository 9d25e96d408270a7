import Foundation

/// The spellings a search for one word of a name also looks for, as
/// caseworkers meet them: without accents (Kowalská, Kowalska); with and
/// without the apostrophe of an Irish or French prefix (O'Brien, OBrien,
/// O Brien; D'Souza, DSouza); hyphenated names with a space (Smith-Jones,
/// Smith Jones); the two forms of a Polish surname (Kowalska, Kowalski;
/// Wysocka, Wysocki); and the usual transliterations of names written first
/// in another script (Muhammad, Mohammed, Mohamed, Maxamed; Hussain,
/// Hussein; Oleksandr, Aleksandr).
///
/// Each variant is lower case, to be matched anywhere in a child's names
/// without regard to case; the word itself comes first. A word typed with an
/// invisible format character in it (a zero-width joiner pasted after a
/// letter) is also looked for without it.
public enum NameVariants {
  public static func of(_ word: String) -> [String] {
    let plain = withoutFormatCharacters(word)
    var out = spellings(of: word)
    if plain != word && !plain.isEmpty {
      for v in spellings(of: plain) where !out.contains(v) { out.append(v) }
    }
    return out
  }

  /// `text` without its format characters (Unicode's category Cf: joiners,
  /// invisible operators), which change nothing a reader sees in a Latin name.
  public static func withoutFormatCharacters(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .format }) else { return text }
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: text.unicodeScalars.filter { $0.properties.generalCategory != .format })
    return String(scalars)
  }

  private static func spellings(of word: String) -> [String] {
    var out: [String] = []
    func add(_ s: String) {
      if !s.isEmpty && !out.contains(s) { out.append(s) }
    }
    let lower = word.lowercased()
    add(lower)
    let folded = fold(lower)
    add(folded)
    // Apostrophes (straight and curly) and hyphens.
    let apostrophes: Set<Character> = ["'", "\u{2019}", "`"]
    let bare = String(folded.filter { !apostrophes.contains($0) })
    add(bare)
    if folded.contains("-") {
      add(folded.replacingOccurrences(of: "-", with: " "))
    }
    // O'Brien, D'Souza: the prefix as written with an apostrophe or a space,
    // when the word shows it has one ("O'Brien", "OBrien"; not "Olivia").
    let original = Array(word)
    let letters = Array(bare)
    let prefixed =
      original.count >= 4 && (original[0] == "O" || original[0] == "D")
      && (apostrophes.contains(original[1]) || (original[1].isUppercase && original.contains(where: \.isLowercase)))
    if prefixed, letters.count >= 3 {
      let rest = String(letters.dropFirst())
      for joiner in ["", "'", "\u{2019}", " "] { add("\(letters[0])\(joiner)\(rest)") }
    }
    // Polish surnames: the feminine and masculine forms.
    for (a, b) in [("ska", "ski"), ("cka", "cki"), ("zka", "zki")] {
      if bare.hasSuffix(a) { add(String(bare.dropLast(3)) + b) }
      if bare.hasSuffix(b) { add(String(bare.dropLast(3)) + a) }
    }
    // Transliterations.
    if let family = families[bare] {
      for name in family { add(name) }
    }
    return out
  }

  /// Text without accents, in lower case where it is not plain ASCII
  /// (which is returned as it is); letters that do not decompose (ł, ø, ß,
  /// æ, œ, đ, ı) as they are written in English.
  public static func fold(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
    let text = s.replacingScalars(["ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i"])
    return text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
  }

  /// Names that are one name spelled from another script, each group in
  /// the spellings met on English school rolls.
  static let groups: [[String]] = [
    [
      "muhammad", "mohammed", "mohammad", "mohamed", "mohamad", "muhammed", "muhamed", "mohamud", "mohammod",
      "mahamed", "maxamed", "mehmet",
    ],
    ["ahmed", "ahmad", "ahmet"],
    ["mustafa", "mustapha", "mostafa"],
    ["hussain", "hussein", "husain", "husein", "hossain", "hüseyin", "huseyin"],
    ["hassan", "hasan"],
    ["yusuf", "yousef", "yousuf", "youssef", "yousif", "yusef"],
    ["abdul", "abdel", "abdal", "abdoul"],
    ["aisha", "ayesha", "aysha", "aishah", "ayisha"],
    ["fatima", "fatimah", "fatma"],
    ["ibrahim", "ebrahim", "ibraheem"],
    ["khadija", "khadijah", "kadija"],
    ["maryam", "mariam", "mariyam"],
    ["usman", "osman", "uthman", "othman"],
    ["omar", "umar"],
    ["nur", "noor", "nour"],
    ["zainab", "zaynab", "zeinab"],
    ["oleksandr", "aleksandr", "alexandr", "oleksander"],
    ["serhii", "serhiy", "sergei", "sergey", "sergiy"],
    ["dmytro", "dmitri", "dmitry", "dmitriy"],
    ["andrii", "andriy", "andrei", "andrey"],
    ["yurii", "yuriy", "yuri", "yury", "iurii"],
    ["mykola", "nikolai", "nikolay"],
    ["olha", "olga"],
    ["nataliia", "natalia", "nataliya", "natalya"],
  ]

  static let families: [String: [String]] = {
    var map: [String: [String]] = [:]
    for group in groups {
      for name in group { map[fold(name)] = group.map(fold) }
    }
    return map
  }()
}
