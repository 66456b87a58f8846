/** JMH benchmarks. */
package ring0.bench;
