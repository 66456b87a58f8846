/** The {@code ring0} command-line tool. */
module ring0.cli {
    requires ring0.trusted;
    requires ring0.asm;
    requires info.picocli;
    opens ring0.cli to info.picocli;
}
