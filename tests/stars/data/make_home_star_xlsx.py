"""Write home-star-merged.xlsx: a Star Online-like XLSX with a merged title row, a blank row and mixed date cells."""

import datetime as dt

import openpyxl
from openpyxl.styles import Font

HOME_STAR = ["Where I am living", "Caring for myself & my space", "My money", "Friends and relationships",
             "My health", "My well-being", "How I spend my time", "Alcohol and drugs", "Safety and crime",
             "Trust and hope"]
READINGS = [
    ("HS-201", dt.datetime(2024, 2, 5), 1, "W-5", "Approved", [2, 3, 1, 4, 5, 3, 2, 6, 5, 2]),  # a date cell
    ("HS-201", dt.datetime(2024, 8, 19), 2, "W-5", "Approved", [4, 4, 3, 5, 5, 4, 4, 7, 6, 4]),
    ("HS-202", 45420, 1, "W-9", "In progress", [3, 2, 2, 3, 4, 3, 3, 5, 4, 3]),  # an Excel serial number
    ("HS-202", "17/10/2024", 2, "W-9", "Approved", [5, 4, 3, 5, 4, 4, 5, 6, 6, 5]),  # text
]

book = openpyxl.Workbook()
sheet = book.active
assert sheet is not None
sheet.title = "Star data"
sheet.append(["Star Online raw data download: Home Star, Northside Housing Support"])
sheet.merge_cells("A1:P1")
sheet["A1"].font = Font(bold=True, size=14)
sheet.append([])
sheet.append(["Service user", "Date", "Reading", "Worker", "Status", *(h.upper() for h in HOME_STAR), None])
for person, date, number, worker, status, scores in READINGS:
    sheet.append([person, date, number, worker, status, *scores])
for row in range(4, 8):
    sheet.cell(row=row, column=2).number_format = "DD/MM/YYYY"
sheet.append([])
sheet.append([None] * 16)
book.save("home-star-merged.xlsx")
