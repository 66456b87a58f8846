package ring0.conformance.fuzz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Something the fuzzer found wrong, with everything needed to reproduce it:
 * the campaign seed and the mutant's index rebuild the mutant
 * ({@code MutationCampaign -Dring0.fuzz.seed=S -Dring0.fuzz.replay=I}), and the
 * mutant itself is saved.
 *
 * @param kind        what went wrong
 * @param seedName    the seed program the mutant was made from
 * @param campaign    the campaign's random seed
 * @param index       the mutant's index
 * @param mutation    what the mutation did
 * @param saved       where the mutant was saved, or null if it could not be
 * @param checker     what the checker said about it
 * @param outcome     how its native run ended, or null if it did not run
 */
record Finding(Kind kind, String seedName, long campaign, long index, String mutation, Path saved, String checker, String outcome) {

    /** The kinds of finding. */
    enum Kind {
        /** The checker threw something other than IllTyped, or rejected with an internal error. */
        CHECKER_FAILURE,
        /** The checker ran for longer than the harness allows. */
        CHECKER_HANG,
        /** An accepted mutant died of SIGSEGV, SIGBUS, SIGILL or SIGFPE: a soundness bug. */
        NATIVE_CRASH
    }

    /**
     * A report of many findings: grouped by kind and reason (numbers left out),
     * each group with its size and its first finding (lowest index) in full.
     */
    static String report(List<Finding> findings) {
        Map<String, List<Finding>> groups = new TreeMap<>();
        findings.stream().sorted(Comparator.comparingLong(Finding::index))
                .forEach(f -> groups.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(f));
        StringBuilder sb = new StringBuilder(findings.size() + " findings in " + groups.size() + " groups");
        groups.forEach((g, fs) -> sb.append("\n\n").append(fs.size()).append(" x ").append(g)
                .append("\nfirst of them: ").append(fs.getFirst()));
        return sb.toString();
    }

    /** What findings alike have in common: the kind, and the reason or the signal. */
    private String group() {
        String why = kind == Kind.NATIVE_CRASH ? outcome.replaceAll(" \\(.*", "") : checker.lines().findFirst().orElse("");
        return kind + ": " + FuzzStats.reason(why);
    }

    @Override
    public String toString() {
        return kind + ": seed program " + seedName + ", campaign seed " + campaign + ", mutant " + index
                + "\n  mutation: " + mutation
                + (outcome == null ? "" : "\n  native run: " + outcome)
                + "\n  saved as: " + (saved == null ? "(not saved)" : saved)
                + "\n  checker: " + checker.replace("\n", "\n    ");
    }
}
