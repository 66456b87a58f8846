package ring0.isa;

/** Condition codes, in hardware encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
public enum Cond {
    O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G;

    private static final Cond[] BY_CODE = values();

    /** Hardware condition number 0..15. */
    public int code() { return ordinal(); }

    /** The condition with hardware number {@code code}. */
    public static Cond of(int code) { return BY_CODE[code]; }

    /** The condition that holds exactly when this one does not. */
    public Cond negate() { return BY_CODE[ordinal() ^ 1]; }

    /** Mnemonic suffix, e.g. {@code ae}. */
    public String suffix() { return name().toLowerCase(); }

    /**
     * Parses a condition suffix including the usual aliases
     * ({@code z}, {@code nz}, {@code c}, {@code nae}, {@code nb}, {@code nc}, ...).
     *
     * @return the condition, or {@code null} if {@code s} is not a condition suffix
     */
    public static Cond parse(String s) {
        return switch (s.toLowerCase()) {
            case "o" -> O; case "no" -> NO;
            case "b", "c", "nae" -> B; case "ae", "nb", "nc" -> AE;
            case "e", "z" -> E; case "ne", "nz" -> NE;
            case "be", "na" -> BE; case "a", "nbe" -> A;
            case "s" -> S; case "ns" -> NS;
            case "p", "pe" -> P; case "np", "po" -> NP;
            case "l", "nge" -> L; case "ge", "nl" -> GE;
            case "le", "ng" -> LE; case "g", "nle" -> G;
            default -> null;
        };
    }
}
