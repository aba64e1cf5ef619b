/** Test helpers several driver test packages share (query results as comparable values). */
package io.crmkpi.testing;
