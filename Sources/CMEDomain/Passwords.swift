/// What a password must be to be set: long, and not one that attackers try
/// first.
///
/// Length is what makes a password hard to guess (NCSC and NIST SP 800-63B
/// both say so), so the rule is a minimum length and a refusal of the
/// passwords on lists of breached and common passwords, with no rules about
/// character classes.
public enum PasswordPolicy {
  /// The fewest characters a password may have.
  public static let minimumLength = 12
  /// The most: bcrypt reads only the first 72 bytes.
  public static let maximumBytes = 72

  /// Returns the password if it may be set for `userName`, or says why not.
  public static func check(_ password: String, userName: String, field: String) throws(InvalidInput) -> String {
    if password.count < minimumLength {
      throw InvalidInput(
        field: field, problem: "the password has \(password.count) characters, fewer than \(minimumLength)",
        fix: "Choose at least \(minimumLength) characters; three or four random words make a strong one")
    }
    if password.utf8.count > maximumBytes {
      throw InvalidInput(
        field: field, problem: "the password is longer than \(maximumBytes) bytes",
        fix: "Choose a password of at most \(maximumBytes) bytes (about 70 letters)")
    }
    if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw InvalidInput(
        field: field, problem: "the password contains a control character",
        fix: "Use letters, digits, spaces and punctuation")
    }
    let folded = password.lowercased()
    let letters = folded.filter { $0.isLetter || $0.isNumber }
    if commonPasswords.contains(folded) || commonPasswords.contains(letters) || isRepetitive(folded)
      || (userName.count >= 4 && folded.contains(userName.lowercased()))
    {
      throw InvalidInput(
        field: field, problem: "the password is one that attackers try first (common, repetitive or your user name)",
        fix: "Choose another: three or four random words make a strong one")
    }
    return password
  }

  /// A strong password made for a user to type once: four groups of four
  /// lower-case letters and digits without look-alikes (about 78 bits).
  public static func oneTimePassword(for userName: String = "") -> String {
    let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
    var g = SystemRandomNumberGenerator()
    while true {
      let made = (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &g)! }) }.joined(
        separator: "-")
      // A made password that happens to hold the user's name is made again.
      if (try? check(made, userName: userName, field: "password")) != nil { return made }
    }
  }

  /// A password made of one short run repeated, or a plain run of keys or digits.
  static func isRepetitive(_ text: String) -> Bool {
    let chars = Array(text)
    for period in 1...4 where chars.count % period == 0 && chars.count > period {
      let unit = chars[0..<period]
      if stride(from: 0, to: chars.count, by: period).allSatisfy({ chars[$0..<$0 + period] == unit }) { return true }
    }
    let runs = ["0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"]
    return runs.contains { $0.contains(text) }
  }

  /// Passwords of 12 or more characters found near the top of published
  /// lists of breached passwords (shorter ones fail the length rule), in
  /// lower case, and with spaces and punctuation removed.
  static let commonPasswords: Set<String> = [
    "123456789012", "1234567890123", "12345678901234", "123456789101", "1234567891011", "111111111111",
    "000000000000", "123123123123", "password1234", "password12345", "password123456", "passwordpassword",
    "password1234567", "qwertyuiop123", "qwertyuiopasdfghjkl", "qwerty123456", "qwertyqwerty", "1q2w3e4r5t6y",
    "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsxcde3", "iloveyou1234", "iloveyouiloveyou", "welcome12345",
    "welcome123456", "welcometo2024", "letmein12345", "letmeinletmein", "administrator", "administrator1",
    "administrator123", "adminadmin123", "changeme1234", "changemenow1", "changeme12345", "trustno1trustno1",
    "football1234", "baseball1234", "basketball12", "superman1234", "sunshine1234", "princess1234",
    "starwars1234", "monkey123456", "dragon123456", "master123456", "shadow123456", "michael12345",
    "jennifer1234", "liverpool123", "liverpool1892", "chelsea12345", "arsenal12345", "manchesterunited",
    "manchester123", "nottingham123", "nottingham12", "nottinghamshire", "london123456", "england12345",
    "summer2024123", "winter2024123", "autumn202412", "spring202412", "january20241", "september2024",
    "password2024", "password2025", "password2026", "password2027", "passw0rd1234", "p4ssw0rd1234",
    "correcthorsebatterystaple", "thequickbrownfox", "abcdefghijkl", "abc123abc123", "abcd1234abcd",
    "aa123456789a", "asdfghjkl123", "asdfasdfasdf", "zxcvbnm12345", "computer1234", "internet1234",
    "whatever1234", "secret123456", "mypassword12", "mypassword123", "newpassword1", "newpassword12",
    "newpassword123", "temporary123", "temppassword", "default12345", "login1234567", "council12345",
    "council123456", "education123", "school123456", "children1234", "caseworker12", "manager12345",
    "qazwsxedcrfv", "1234qwerasdf", "1234abcd1234", "q1w2e3r4t5y6", "a1b2c3d4e5f6", "987654321098",
    "098765432109", "999999999999", "987654321987", "112233445566", "121212121212", "6969696969696",
    "iloveyou2024", "lovelove1234", "hello1234567", "helloworld12", "helloworld123", "welcomewelcome",
  ]
}
