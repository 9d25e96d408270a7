import Foundation

/// A DfE ethnicity code, main or extended. The main group is derived by
/// lookup, never stored beside it; free-text ethnicity is never accepted.
///
/// Ethnicity is recorded as the parent or pupil states it, and may be
/// refused (`REFU`). It is special-category personal data.
public struct Ethnicity: Hashable, Sendable, Codable, CustomStringConvertible {
  public let code: String

  public var description: String { code }

  /// The main (20-code) group this code rolls up to.
  public var mainCode: String { Ethnicity.extended[code]?.main ?? code }

  public var label: String { Ethnicity.main[code] ?? Ethnicity.extended[code]?.label ?? code }
  public var mainLabel: String { Ethnicity.main[mainCode] ?? mainCode }

  /// Gypsy, Roma or Traveller of Irish heritage (`WROM` and its sub-codes, `WIRT`).
  public var isGypsyRomaTraveller: Bool { mainCode == "WROM" || mainCode == "WIRT" }

  /// The groups a scrutiny board follows by name, where this code belongs to one.
  public var namedGroup: NamedGroup? {
    switch code {
    case "BCRB": .blackCaribbean
    case "MWBC": .whiteAndBlackCaribbean
    case "BSOM": .somali
    case "WIRT": .irishTraveller
    default: mainCode == "WROM" ? .gypsyRoma : nil
    }
  }

  public enum NamedGroup: String, CaseIterable, Sendable {
    case blackCaribbean = "Black Caribbean"
    case whiteAndBlackCaribbean = "White and Black Caribbean"
    case somali = "Somali"
    case gypsyRoma = "Gypsy/Roma"
    case irishTraveller = "Irish Traveller"
  }

  public init(checked code: String) { self.code = code }

  public static func parse(_ text: String, field: String) throws(InvalidInput) -> Ethnicity {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    guard main[t] != nil || extended[t] != nil else {
      throw InvalidInput(
        field: field, problem: "'\(text)' is not a DfE ethnicity code",
        fix:
          "Use a main code (e.g. WBRI, BCRB, MWBC, WROM, WIRT, REFU for refused, NOBT for not yet obtained) or an extended code (e.g. BSOM, WROG)"
      )
    }
    return Ethnicity(checked: t)
  }

  /// The 20 main codes.
  public static let main: [String: String] = [
    "ABAN": "Bangladeshi", "AIND": "Indian", "APKN": "Pakistani",
    "AOTH": "Any other Asian background", "BAFR": "Black African", "BCRB": "Black Caribbean",
    "BOTH": "Any other Black background", "CHNE": "Chinese", "MWAS": "White and Asian",
    "MWBA": "White and Black African", "MWBC": "White and Black Caribbean",
    "MOTH": "Any other mixed background", "OOTH": "Any other ethnic group",
    "WBRI": "White - British", "WIRI": "White - Irish", "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy/Roma", "WOTH": "Any other White background", "REFU": "Refused",
    "NOBT": "Information not yet obtained",
  ]

  /// Extended codes, each with the main code it rolls up to.
  public static let extended: [String: (main: String, label: String)] = {
    var t: [String: (main: String, label: String)] = [:]
    func add(_ main: String, _ pairs: [(String, String)]) {
      for (code, label) in pairs { t[code] = (main, label) }
    }
    add(
      "WBRI",
      [
        ("WCOR", "Cornish"), ("WENG", "English"), ("WNIR", "Northern Irish"),
        ("WSCO", "Scottish"), ("WWEL", "Welsh"), ("WOWB", "Other White British"),
      ])
    add(
      "WOTH",
      [
        ("WALB", "Albanian"), ("WBOS", "Bosnian-Herzegovinian"), ("WCRO", "Croatian"),
        ("WGRE", "Greek/Greek Cypriot"), ("WGRK", "Greek"), ("WGRC", "Greek Cypriot"),
        ("WITA", "Italian"), ("WKOS", "Kosovan"), ("WPOR", "Portuguese"),
        ("WSER", "Serbian"), ("WTUR", "Turkish/Turkish Cypriot"), ("WTUK", "Turkish"),
        ("WTUC", "Turkish Cypriot"), ("WEUR", "White European"),
        ("WEEU", "White Eastern European"), ("WWEU", "White Western European"),
        ("WOTW", "White other"),
      ])
    add("WROM", [("WROG", "Gypsy"), ("WROR", "Roma"), ("WROO", "Other Gypsy/Roma")])
    add(
      "MWAS",
      [
        ("MWAP", "White and Pakistani"), ("MWAI", "White and Indian"),
        ("MWAO", "White and any other Asian"),
      ])
    add(
      "MOTH",
      [
        ("MAOE", "Asian and any other ethnic group"), ("MABL", "Asian and Black"),
        ("MACH", "Asian and Chinese"), ("MBOE", "Black and any other ethnic group"),
        ("MCOE", "Chinese and any other ethnic group"),
        ("MWOE", "White and any other ethnic group"), ("MOTM", "Other mixed background"),
      ])
    add(
      "APKN",
      [
        ("AMPK", "Mirpuri Pakistani"), ("AKPA", "Kashmiri Pakistani"),
        ("AOPK", "Other Pakistani"),
      ])
    add(
      "AOTH",
      [
        ("AAFR", "African Asian"), ("AKAO", "Kashmiri other"), ("ANEP", "Nepali"),
        ("ASNL", "Sri Lankan Sinhalese"), ("ASLT", "Sri Lankan Tamil"),
        ("ASRO", "Sri Lankan other"), ("AOTA", "Other Asian"),
      ])
    add(
      "BAFR",
      [
        ("BANN", "Angolan"), ("BCON", "Congolese"), ("BGHA", "Ghanaian"),
        ("BNGN", "Nigerian"), ("BSLN", "Sierra Leonean"), ("BSOM", "Somali"),
        ("BSUD", "Sudanese"), ("BAOF", "Other Black African"),
      ])
    add(
      "BOTH",
      [
        ("BEUR", "Black European"), ("BNAM", "Black North American"),
        ("BOTB", "Other Black"),
      ])
    add(
      "CHNE",
      [
        ("CHKC", "Hong Kong Chinese"), ("CMAL", "Malaysian Chinese"),
        ("CSNG", "Singaporean Chinese"), ("CTWN", "Taiwanese"), ("COCH", "Other Chinese"),
      ])
    add(
      "OOTH",
      [
        ("OAFG", "Afghan"), ("OARA", "Arab other"), ("OEGY", "Egyptian"),
        ("OFIL", "Filipino"), ("OIRN", "Iranian"), ("OIRQ", "Iraqi"), ("OJPN", "Japanese"),
        ("OKOR", "Korean"), ("OKRD", "Kurdish"), ("OLAM", "Latin/South/Central American"),
        ("OLEB", "Lebanese"), ("OLIB", "Libyan"), ("OMAL", "Malay"), ("OMRC", "Moroccan"),
        ("OPOL", "Polynesian"), ("OTHA", "Thai"), ("OVIE", "Vietnamese"), ("OYEM", "Yemeni"),
        ("OOEG", "Other ethnic group"),
      ])
    return t
  }()
}
