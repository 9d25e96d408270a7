import Foundation

/// A published national count of children missing education on a census
/// day, to set an authority's rate against.
public struct NationalFigure: Sendable, Hashable {
  /// The census, e.g. "autumn 2025".
  public var census: String
  /// The census day (the first Thursday of October for the autumn census).
  public var censusDay: LocalDate
  /// Children missing education on the census day (rounded to the nearest 100 by the DfE).
  public var count: Int
  /// The share of the 5-to-16 population, as published (a rounded percentage).
  public var percentOfSchoolAge: Double
  public var source: String

  /// Children per 10,000 of school age, from the published percentage.
  public var ratePer10000: Double { percentOfSchoolAge * 100 }

  /// The DfE's "Children missing education" statistics (official statistics
  /// in development; the collection is mandatory from autumn 2024).
  public static let all: [NationalFigure] = [
    NationalFigure(
      census: "autumn 2024", censusDay: LocalDate(year: 2024, month: 10, day: 3)!, count: 39_200,
      percentOfSchoolAge: 0.5,
      source:
        "DfE, Children missing education, 2024/25 autumn term (explore-education-statistics.service.gov.uk/find-statistics/children-missing-education)"
    ),
    NationalFigure(
      census: "autumn 2025", censusDay: LocalDate(year: 2025, month: 10, day: 2)!, count: 34_700,
      percentOfSchoolAge: 0.4,
      source:
        "DfE, Children missing education, 2025/26 autumn term (explore-education-statistics.service.gov.uk/find-statistics/children-missing-education/2025-26-autumn-term)"
    ),
  ]

  /// The latest figure whose census day is on or before `day`.
  public static func latest(onOrBefore day: LocalDate) -> NationalFigure? {
    all.filter { $0.censusDay <= day }.max { $0.censusDay < $1.censusDay }
  }
}
