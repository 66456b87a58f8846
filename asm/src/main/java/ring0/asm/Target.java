package ring0.asm;

/**
 * A resolved reference to a label or an import slot.
 *
 * @param name full label name, or the import name
 * @param kind where it lives
 */
record Target(String name, Kind kind) {

    /** The three kinds of addressable names. */
    enum Kind { TEXT, DATA, IMPORT }
}
