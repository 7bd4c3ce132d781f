// SPDX-License-Identifier: GPL-2.0-only
/*
 * 003-pciehp-reset: a vfio-pci-like driver. The user may reset the
 * function at any time (VFIO_DEVICE_RESET), and the function is reset
 * again when the user lets go of it; both resets take the device lock in
 * the PCI core, the second one here. Its remove callback runs under the
 * device lock when pciehp unbinds it on hot remove.
 */
/* expect: none */

#include "scenario.h"

#define VFIO_DEVICE_RESET	0x3b6f

struct vfio_pci_core_device {
	struct pci_dev *pdev;
	struct rw_semaphore memory_lock;	/* BAR access vs. reset */
	bool reset_works;
	bool needs_reset;
};

static int vfio_pci_ioctl_reset(struct vfio_pci_core_device *vdev)
{
	int ret;

	if (!vdev->reset_works)
		return -EINVAL;

	down_write(&vdev->memory_lock);
	ret = pci_try_reset_function(vdev->pdev);
	up_write(&vdev->memory_lock);
	return ret;
}

long vfio_pci_core_ioctl(struct vfio_pci_core_device *vdev, unsigned int cmd,
			 unsigned long arg)
{
	switch (cmd) {
	case VFIO_DEVICE_RESET:
		return vfio_pci_ioctl_reset(vdev);
	default:
		return -ENOTTY;
	}
}
EXPORT_SYMBOL_GPL(vfio_pci_core_ioctl);

void vfio_pci_core_close_device(struct vfio_pci_core_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;

	if (!vdev->reset_works)
		return;
	/* Best effort; someone else holding the device lock wins. */
	if (device_trylock(&pdev->dev)) {
		vdev->needs_reset = __pci_reset_function_locked(pdev) != 0;
		device_unlock(&pdev->dev);
	}
}
EXPORT_SYMBOL_GPL(vfio_pci_core_close_device);

static int vfio_pci_probe(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return -ENOMEM;
	vdev->pdev = pdev;
	vdev->reset_works = pdev->reset_fn;
	init_rwsem(&vdev->memory_lock);
	pci_set_drvdata(pdev, vdev);
	return 0;
}

static void vfio_pci_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = pci_get_drvdata(pdev);

	pci_set_drvdata(pdev, NULL);
	kfree(vdev);
}

static struct pci_driver vfio_pci_driver = {
	.name	= "vfio-pci",
	.probe	= vfio_pci_probe,
	.remove	= vfio_pci_remove,
};
module_pci_driver(vfio_pci_driver);
