#!/usr/bin/env python3
"""Prints each failed test of a .trx file with the first lines of its message, so a log's tail says what failed."""
import sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
root = ET.parse(sys.argv[1]).getroot()
for result in root.iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
    message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
    lines = message.splitlines()[:4]
    print(f"  {result.get('testName')}")
    for line in lines:
        print(f"      {line[:300]}")
