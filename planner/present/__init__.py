"""What people read: Folium maps, jadwal.xlsx, kecamatan and desa pages, GPX and GeoJSON.

Reads plans and results, never plans; nothing below imports it (docs/ARCHITECTURE.md).
"""
