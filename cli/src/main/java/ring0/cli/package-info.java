/** The ring0 command-line interface. */
package ring0.cli;
