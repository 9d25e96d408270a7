import CMEDomain
import FuzzSupport

// A school's new-registration return on any bytes: rows, or every problem located and in words.
Fuzz.run { bytes in
  do {
    let rows = try NewPupilFile.read(csv: bytes, file: "fuzz.csv", today: Fuzz.today)
    for row in rows { _ = row.canonical }
  } catch let problems as FileProblems {
    Fuzz.expectWords(problems)
  } catch {
    fatalError("a refusal that is not FileProblems: \(error)")
  }
}
