using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AwsVault.Benchmarks.Infrastructure
{
    /// <summary>A percentile BenchmarkDotNet has no column for (it stops at P95 before P100): the credential server's
    /// tail latency is reported as p99.</summary>
    public sealed class PercentileColumn : IColumn
    {
        private readonly int _percentile;

        public PercentileColumn(int percentile)
        {
            _percentile = percentile;
        }

        public string Id => "P" + _percentile;
        public string ColumnName => "P" + _percentile;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => _percentile + "th percentile of the measurements";

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics == null) return "NA";
            double nanoseconds = statistics.Percentiles.Percentile(_percentile);
            return (nanoseconds / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " μs";
        }
    }
}
