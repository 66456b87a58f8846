/** The {@code ring0} command-line tool. */
module ring0.cli {
    requires ring0.trusted;
    requires ring0.asm;
    requires info.picocli;
    requires ring0.kernel;
    requires org.jfree.jfreechart;
    requires java.desktop;
    opens ring0.cli to info.picocli;
    opens ring0.cli.bench to info.picocli;
}
